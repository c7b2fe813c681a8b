package dev.orderflow.paymentservice.payment.messaging;

import dev.orderflow.events.OrderEvent;
import dev.orderflow.paymentservice.payment.PaymentProcessing;
import dev.orderflow.platform.messaging.EventHandler;
import java.util.List;
import org.springframework.stereotype.Component;

/** Placed orders get a payment decision; cancelled ones a refund. From order-events and replayed dead letters. */
@Component
class OrderEventsListener implements EventHandler<OrderEvent> {

    private final PaymentProcessing payments;

    OrderEventsListener(PaymentProcessing payments) {
        this.payments = payments;
    }

    @Override
    public Class<OrderEvent> family() {
        return OrderEvent.class;
    }

    @Override
    public void on(OrderEvent event) {
        payments.onAll(List.of(event));
    }

    @Override
    public void onAll(List<OrderEvent> events) {
        payments.onAll(events);
    }
}

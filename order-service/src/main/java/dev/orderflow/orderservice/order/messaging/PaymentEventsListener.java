package dev.orderflow.orderservice.order.messaging;

import dev.orderflow.events.PaymentEvent;
import dev.orderflow.orderservice.order.OrderManagement;
import dev.orderflow.platform.messaging.EventHandler;
import java.util.List;
import org.springframework.stereotype.Component;

/** Payment outcomes move orders on: from payment-events, and from replayed dead letters of it. */
@Component
class PaymentEventsListener implements EventHandler<PaymentEvent> {

    private final OrderManagement orders;

    PaymentEventsListener(OrderManagement orders) {
        this.orders = orders;
    }

    @Override
    public Class<PaymentEvent> family() {
        return PaymentEvent.class;
    }

    @Override
    public void on(PaymentEvent event) {
        orders.onAll(List.of(event));
    }

    @Override
    public void onAll(List<PaymentEvent> events) {
        orders.onAll(events);
    }
}

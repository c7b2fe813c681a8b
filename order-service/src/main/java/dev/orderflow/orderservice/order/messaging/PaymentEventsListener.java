package dev.orderflow.orderservice.order.messaging;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.PaymentEvent;
import dev.orderflow.events.PaymentRefunded;
import dev.orderflow.events.Topics;
import dev.orderflow.orderservice.order.OrderManagement;
import dev.orderflow.orderservice.order.OrderNotFoundException;
import dev.orderflow.orderservice.order.PaymentOutcome;
import dev.orderflow.platform.messaging.EventHandler;
import dev.orderflow.platform.messaging.IdempotentConsumer;
import dev.orderflow.platform.messaging.UnprocessableEventException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Payment outcomes settle orders: from payment-events, and from replayed dead letters of it. */
@Component
class PaymentEventsListener implements EventHandler<PaymentEvent> {

    private final OrderManagement orders;
    private final IdempotentConsumer consumer;

    PaymentEventsListener(OrderManagement orders, IdempotentConsumer consumer) {
        this.orders = orders;
        this.consumer = consumer;
    }

    @KafkaListener(id = Topics.PAYMENT_EVENTS, idIsGroup = false, topics = Topics.PAYMENT_EVENTS, batch = "true")
    void receive(List<ConsumerRecord<String, byte[]>> records) {
        consumer.consume(records, this);
    }

    @Override
    public Class<PaymentEvent> family() {
        return PaymentEvent.class;
    }

    @Override
    public boolean handles(PaymentEvent event) {
        return switch (event) {
            case PaymentAuthorized authorized -> true;
            case PaymentDeclined declined -> true;
            // the order was cancelled before; its refund changes nothing here
            case PaymentRefunded refunded -> false;
        };
    }

    @Override
    public void apply(List<PaymentEvent> events) {
        List<PaymentOutcome> outcomes = events.stream()
                .<PaymentOutcome>map(event -> switch (event) {
                    case PaymentAuthorized authorized ->
                        new PaymentOutcome.Authorized(authorized.orderId(), authorized.paymentId());
                    case PaymentDeclined declined -> new PaymentOutcome.Declined(declined.orderId(), declined.reason());
                    case PaymentRefunded refunded -> throw new IllegalArgumentException("not handled: " + event);
                })
                .toList();
        try {
            orders.settle(outcomes);
        } catch (OrderNotFoundException e) {
            throw new UnprocessableEventException("no order " + e.orderId(), e);
        }
    }
}

package dev.orderflow.paymentservice.payment.messaging;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import dev.orderflow.events.Topics;
import dev.orderflow.paymentservice.payment.PaymentCommand;
import dev.orderflow.paymentservice.payment.PaymentProcessing;
import dev.orderflow.platform.messaging.EventHandler;
import dev.orderflow.platform.messaging.IdempotentConsumer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Placed orders get a payment decision, cancelled ones a refund: from order-events, and replayed dead letters. */
@Component
class OrderEventsListener implements EventHandler<OrderEvent> {

    private final PaymentProcessing payments;
    private final IdempotentConsumer consumer;

    OrderEventsListener(PaymentProcessing payments, IdempotentConsumer consumer) {
        this.payments = payments;
        this.consumer = consumer;
    }

    @KafkaListener(id = Topics.ORDER_EVENTS, idIsGroup = false, topics = Topics.ORDER_EVENTS, batch = "true")
    void receive(List<ConsumerRecord<String, byte[]>> records) {
        consumer.consume(records, this);
    }

    @Override
    public Class<OrderEvent> family() {
        return OrderEvent.class;
    }

    @Override
    public boolean handles(OrderEvent event) {
        return switch (event) {
            case OrderPlaced placed -> true;
            case OrderCancelled cancelled -> true;
            // the outcomes of this service's own decisions
            case OrderConfirmed confirmed -> false;
            case OrderRejected rejected -> false;
        };
    }

    @Override
    public void apply(List<OrderEvent> events) {
        payments.process(events.stream()
                .<PaymentCommand>map(event -> switch (event) {
                    case OrderPlaced placed ->
                        new PaymentCommand.Charge(
                                placed.orderId(), placed.customerId(), placed.total(), placed.currency());
                    case OrderCancelled cancelled -> new PaymentCommand.Cancel(cancelled.orderId());
                    case OrderConfirmed confirmed -> throw new IllegalArgumentException("not handled: " + event);
                    case OrderRejected rejected -> throw new IllegalArgumentException("not handled: " + event);
                })
                .toList());
    }
}

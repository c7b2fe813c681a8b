package dev.orderflow.notificationservice.notification.messaging;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import dev.orderflow.events.Topics;
import dev.orderflow.notificationservice.notification.NotificationCenter;
import dev.orderflow.notificationservice.notification.OrderStep;
import dev.orderflow.platform.messaging.EventHandler;
import dev.orderflow.platform.messaging.IdempotentConsumer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Every step of an order is a notification to its customer: from order-events, and replayed dead letters. */
@Component
class OrderEventsListener implements EventHandler<OrderEvent> {

    private final NotificationCenter notifications;
    private final IdempotentConsumer consumer;

    OrderEventsListener(NotificationCenter notifications, IdempotentConsumer consumer) {
        this.notifications = notifications;
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
    public void apply(List<OrderEvent> events) {
        notifications.notify(events.stream().map(OrderEventsListener::step).toList());
    }

    private static OrderStep step(OrderEvent event) {
        return switch (event) {
            case OrderPlaced placed ->
                OrderStep.placed(
                        placed.orderId(),
                        placed.customerId(),
                        // what a person counts as items: two copies of one book are two items
                        placed.items().stream()
                                .mapToInt(OrderPlaced.Item::quantity)
                                .sum(),
                        placed.total(),
                        placed.currency());
            case OrderConfirmed confirmed -> OrderStep.confirmed(confirmed.orderId(), confirmed.customerId());
            case OrderRejected rejected ->
                OrderStep.rejected(rejected.orderId(), rejected.customerId(), rejected.reason());
            case OrderCancelled cancelled -> OrderStep.cancelled(cancelled.orderId(), cancelled.customerId());
        };
    }
}

package dev.orderflow.notificationservice.notification.messaging;

import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.Topics;
import dev.orderflow.notificationservice.notification.NotificationCenter;
import dev.orderflow.platform.messaging.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Every step of an order is a notification to its customer. */
@Component
class OrderEventsListener {

    private final EventCodec codec;
    private final NotificationCenter notifications;

    OrderEventsListener(EventCodec codec, NotificationCenter notifications) {
        this.codec = codec;
        this.notifications = notifications;
    }

    @KafkaListener(topics = Topics.ORDER_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        notifications.on(codec.decode(record, OrderEvent.class));
    }
}

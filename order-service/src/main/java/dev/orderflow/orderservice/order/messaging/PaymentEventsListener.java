package dev.orderflow.orderservice.order.messaging;

import dev.orderflow.events.PaymentEvent;
import dev.orderflow.events.Topics;
import dev.orderflow.orderservice.order.OrderManagement;
import dev.orderflow.platform.messaging.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Payment outcomes move orders on. */
@Component
class PaymentEventsListener {

    private final EventCodec codec;
    private final OrderManagement orders;

    PaymentEventsListener(EventCodec codec, OrderManagement orders) {
        this.codec = codec;
        this.orders = orders;
    }

    @KafkaListener(topics = Topics.PAYMENT_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        orders.on(codec.decode(record, PaymentEvent.class));
    }
}

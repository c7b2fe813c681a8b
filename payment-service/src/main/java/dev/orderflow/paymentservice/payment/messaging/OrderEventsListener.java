package dev.orderflow.paymentservice.payment.messaging;

import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.Topics;
import dev.orderflow.paymentservice.payment.PaymentProcessing;
import dev.orderflow.platform.messaging.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Placed orders get a payment decision; cancelled ones a refund. */
@Component
class OrderEventsListener {

    private final EventCodec codec;
    private final PaymentProcessing payments;

    OrderEventsListener(EventCodec codec, PaymentProcessing payments) {
        this.codec = codec;
        this.payments = payments;
    }

    @KafkaListener(topics = Topics.ORDER_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        payments.on(codec.decode(record, OrderEvent.class));
    }
}

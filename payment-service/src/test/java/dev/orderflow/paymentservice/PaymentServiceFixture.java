package dev.orderflow.paymentservice;

import static dev.orderflow.testsupport.KafkaTestClient.header;

import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * What the integration tests of the running service share: its REST API, a Kafka client, the codec, its listener
 * containers, and the dead letters it leaves for order-events.
 */
abstract class PaymentServiceFixture {

    static final String DEAD_LETTERS = Topics.deadLetter(Topics.ORDER_EVENTS, "payment-service");

    @Autowired
    RestTestClient http;

    @Autowired
    EventCodec codec;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    KafkaTestClient kafka;

    /** The reasons of the order's dead letters so far, oldest first. */
    List<String> deadLetterReasons(UUID orderId) {
        return kafka.readAll(DEAD_LETTERS, orderId.toString()).stream()
                .map(letter -> header(letter, "dlt-reason"))
                .toList();
    }
}

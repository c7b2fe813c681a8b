package dev.orderflow.paymentservice;

import static dev.orderflow.testsupport.KafkaTestClient.header;

import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
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

    /** A payment as the contract shows it. */
    record PaymentJson(
            UUID paymentId,
            UUID orderId,
            String customerId,
            BigDecimal amount,
            String currency,
            String status,
            String reason,
            Instant createdAt,
            Instant updatedAt) {}

    /** The order's payments as the REST API lists them, which must answer 200. */
    List<PaymentJson> payments(UUID orderId) {
        return http.get()
                .uri("/api/payments?orderId={orderId}", orderId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(new ParameterizedTypeReference<List<PaymentJson>>() {})
                .returnResult()
                .getResponseBody();
    }

    /** The reasons of the order's dead letters so far, oldest first. */
    List<String> deadLetterReasons(UUID orderId) {
        return kafka.readAll(DEAD_LETTERS, orderId.toString()).stream()
                .map(letter -> header(letter, "dlt-reason"))
                .toList();
    }
}

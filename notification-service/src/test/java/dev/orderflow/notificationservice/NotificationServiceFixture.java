package dev.orderflow.notificationservice;

import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;

/** What the integration tests of the running service share: its REST API, a Kafka client and the codec. */
abstract class NotificationServiceFixture {

    @Autowired
    RestTestClient http;

    @Autowired
    EventCodec codec;

    @Autowired
    KafkaTestClient kafka;

    /**
     * A page of notifications as the REST API answers it, which must be 200; the query names the customer and
     * whatever else the test asks for, with its values in order.
     */
    JsonNode notificationPage(String query, Object... values) {
        return http.get()
                .uri("/api/notifications?" + query, values)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }
}

package dev.orderflow.orderservice;

import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * What the integration tests of the running service share: an HTTP client that hands back error responses
 * instead of throwing, a Kafka client, the service's database and codec.
 */
abstract class OrderServiceFixture {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EventCodec codec;

    @Autowired
    KafkaTestClient kafka;

    RestClient http;

    @BeforeEach
    void clients() {
        http = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }

    JsonNode order(UUID orderId) {
        return http.get().uri("/api/orders/{id}", orderId).retrieve().body(JsonNode.class);
    }

    long outboxRows() {
        return jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single();
    }
}

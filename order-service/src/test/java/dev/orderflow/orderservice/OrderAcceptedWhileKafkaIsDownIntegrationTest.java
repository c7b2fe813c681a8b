package dev.orderflow.orderservice;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * The outbox guarantee: an order accepted while Kafka is unreachable is published once Kafka is back.
 *
 * <p>The service starts as {@code main} starts it, against a port where no broker listens yet; the broker
 * comes up there later. The test owns both, so that it can stop the service before the broker.
 */
class OrderAcceptedWhileKafkaIsDownIntegrationTest {

    private static final int KAFKA_PORT = freePort();
    private static final String KAFKA = "localhost:" + KAFKA_PORT;

    private static ConfigurableApplicationContext service;
    private static EmbeddedKafkaKraftBroker kafka;
    private static RestClient http;
    private static JdbcClient jdbc;

    @BeforeAll
    static void startTheServiceWithoutKafka() {
        Map<String, String> properties =
                new HashMap<>(TestInfrastructure.newDatabase("orders").springProperties());
        properties.put("server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", KAFKA);
        // Without a broker, creating the topics at start-up waits for these timeouts (30 s and 10 s by
        // default) before the service starts anyway.
        properties.put("spring.kafka.admin.operation-timeout", "2s");
        properties.put("spring.kafka.admin.close-timeout", "1s");
        service = StandaloneOrderService.start(properties);
        http = StandaloneOrderService.client(service);
        jdbc = service.getBean(JdbcClient.class);
    }

    @AfterAll
    static void stopTheServiceThenKafka() {
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    void anOrderAcceptedWhileKafkaIsDownIsPublishedWhenKafkaIsBack() throws Exception {
        ResponseEntity<JsonNode> placed = OrderPlacements.place(http, """
                {"customerId": "alice", "currency": "EUR",
                 "items": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}]}""");

        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        String orderId = placed.getBody().get("orderId").asString();
        assertThat(outbox()).containsExactly(orderId + " OrderPlaced");
        assertThat(health()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());

        startKafka();

        await().atMost(Duration.ofSeconds(60)).until(() -> outbox().isEmpty());
        List<ConsumerRecord<String, byte[]>> published = new KafkaTestClient(KAFKA)
                .readAll(Topics.ORDER_EVENTS).stream()
                        .filter(r -> orderId.equals(r.key()))
                        .toList();
        assertThat(published)
                .singleElement()
                .satisfies(r -> assertThat(header(r, EventCodec.TYPE_HEADER)).isEqualTo("OrderPlaced"));
        assertThat(partitionsOf(Topics.ORDER_EVENTS)).isEqualTo(6);
        await().atMost(Duration.ofSeconds(30)).until(() -> health() == HttpStatus.OK.value());
    }

    private static void startKafka() {
        // One partition for a topic the broker would create by itself: the service must create its own.
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        // The KRaft broker ignores kafkaPorts() (spring-kafka#2916) and binds its own listener to a port of
        // its choosing; one more listener takes the port the service was given.
        kafka.brokerProperty(
                "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SERVICE://localhost:" + KAFKA_PORT);
        kafka.brokerProperty(
                "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SERVICE:PLAINTEXT");
        kafka.afterPropertiesSet();
    }

    private static int partitionsOf(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA))) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
        }
    }

    private static int health() {
        return http.get()
                .uri("/actuator/health")
                .retrieve()
                .toBodilessEntity()
                .getStatusCode()
                .value();
    }

    private static List<String> outbox() {
        return jdbc.sql("SELECT record_key || ' ' || event_type FROM outbox")
                .query(String.class)
                .list();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

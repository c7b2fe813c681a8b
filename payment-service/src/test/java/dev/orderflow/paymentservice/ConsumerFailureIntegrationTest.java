package dev.orderflow.paymentservice;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static dev.orderflow.testsupport.KafkaTestClient.intHeader;
import static dev.orderflow.testsupport.KafkaTestClient.longHeader;
import static dev.orderflow.testsupport.KafkaTestClient.onPartition;
import static dev.orderflow.testsupport.OrderEvents.newCustomer;
import static dev.orderflow.testsupport.OrderEvents.placed;
import static dev.orderflow.testsupport.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.MessagingProperties;
import dev.orderflow.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;

/** What the consumer of order-events does with records it cannot process: dead letters and retries. */
@SpringBootTest(
        classes = PaymentServiceApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=payment-service",
            // Every retry waits 2s first, so a record dead-lettered sooner was not retried.
            "orderflow.messaging.retry.initial-interval=2s",
            "orderflow.messaging.retry.max-interval=2s",
            // No retry for an unexpected failure: a database outage taken for one, even once, would be
            // dead-lettered at once, inside the 10s the outage test watches the dead-letter topic.
            "orderflow.messaging.retry.max-attempts=1",
            // While the database refuses connections, waiting for one fails after 1s instead of 30s.
            "spring.datasource.hikari.connection-timeout=1000"
        })
@RealInfrastructure
@AutoConfigureRestTestClient
// Its own database, closed after the class: it takes that database away, and it joins the consumer group
// payment-service, which two live contexts would split between their databases.
@DirtiesContext
class ConsumerFailureIntegrationTest extends PaymentServiceFixture {

    @Autowired
    MessagingProperties messaging;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Value("${spring.datasource.username}")
    String databaseUser;

    @Value("${spring.datasource.password}")
    String databasePassword;

    @BeforeEach
    void waitForTheConsumer() {
        // The timings below count from a consumer that already owns every partition of order-events.
        listeners
                .getListenerContainers()
                .forEach(container -> ContainerTestUtils.waitForAssignment(container, messaging.partitions()));
    }

    /** Kinds of poison, as templates filled with an event id and an order id, and the reason expected. */
    static Stream<Arguments> poison() {
        return Stream.of(
                Arguments.of("unreadable bytes", "not json at all", "unreadable JSON"),
                Arguments.of("an unknown type", """
                        {"type": "OrderTeleported", "version": 1, "eventId": "%s", "orderId": "%s"}""", "unknown event type 'OrderTeleported'"),
                Arguments.of("an OrderPlaced without most of its fields", """
                        {"type": "OrderPlaced", "version": 1, "eventId": "%s", "orderId": "%s"}""", "invalid OrderPlaced"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poison")
    void deadLettersARecordThatCanNeverBeProcessedAtOnceAndGoesOnWithTheNext(
            String kind, String template, String reason) {
        UUID orderId = UUID.randomUUID();
        byte[] value = template.formatted(UUID.randomUUID(), orderId).getBytes(StandardCharsets.UTF_8);
        RecordMetadata poison = kafka.send(new ProducerRecord<>(Topics.ORDER_EVENTS, orderId.toString(), value));
        OrderPlaced next = placed(newCustomer(), "10.00");
        kafka.send(onPartition(codec.record(next), poison.partition()));

        ConsumerRecord<String, byte[]> letter = eventually()
                .until(() -> kafka.readAll(DEAD_LETTERS, orderId.toString()), letters -> !letters.isEmpty())
                .getFirst();
        assertThat(letter.value()).isEqualTo(value);
        assertThat(header(letter, "dlt-reason")).contains(reason);
        assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDER_EVENTS);
        assertThat(intHeader(letter, "kafka_dlt-original-partition")).isEqualTo(poison.partition());
        assertThat(longHeader(letter, "kafka_dlt-original-offset")).isEqualTo(poison.offset());
        assertThat(Duration.ofMillis(letter.timestamp() - poison.timestamp()))
                .as("time to the dead-letter topic; a retry would have waited 2s")
                .isLessThan(Duration.ofSeconds(2));

        eventually()
                .untilAsserted(() -> assertThat(paymentStatuses(next.orderId())).containsExactly("AUTHORIZED"));
    }

    @Test
    void waitsOutADatabaseThatRefusesConnectionsWithoutDeadLetteringAndPaysOnceItIsBack() throws SQLException {
        OrderPlaced order = placed(newCustomer(), "10.00");
        RecordMetadata sent;
        try (Connection admin = DriverManager.getConnection(adminUrl(), databaseUser, databasePassword);
                Statement sql = admin.createStatement()) {
            String database = databaseName();
            sql.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            try {
                sql.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
                sent = kafka.send(codec.record(order));

                // Neither processed nor given up on: the record waits at its offset, off the dead-letter topic.
                await("the record neither processed nor dead-lettered")
                        .during(Duration.ofSeconds(10))
                        .atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> kafka.committedOffset("payment-service", sent) <= sent.offset()
                                && deadLetterReasons(order.orderId()).isEmpty());
            } finally {
                sql.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            }
        }

        eventually()
                .untilAsserted(
                        () -> assertThat(paymentStatuses(order.orderId())).containsExactly("AUTHORIZED"));
        eventually().until(() -> kafka.committedOffset("payment-service", sent) > sent.offset());
        assertThat(deadLetterReasons(order.orderId())).isEmpty();
    }

    // --- helpers -----------------------------------------------------------------------------------

    private List<String> paymentStatuses(UUID orderId) {
        return payments(orderId).stream().map(PaymentJson::status).toList();
    }

    /** The service's own database, from jdbc:postgresql://host:port/name. */
    private String databaseName() {
        return databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
    }

    /** The same server's maintenance database, from which the service's database can be switched off. */
    private String adminUrl() {
        return databaseUrl.substring(0, databaseUrl.lastIndexOf('/') + 1) + "postgres";
    }
}

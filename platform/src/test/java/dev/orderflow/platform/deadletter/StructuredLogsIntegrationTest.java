package dev.orderflow.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code LOG_FORMAT=ecs} makes every log line a JSON object; a line written while a consumed event is applied names
 * its event, order, customer and trace, and one written while a request is handled the customer and order it names
 * and its trace. Tracing samples nothing here (no exporter): a consumed event's trace id comes from the record's
 * traceparent.
 */
@SpringBootTest(
        classes = DeadLetterTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "LOG_FORMAT=ecs")
@ActiveProfiles("dead-letters")
@RealInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    KafkaTestClient kafka;

    @Autowired
    EventCodec codec;

    @LocalServerPort
    int port;

    @Test
    void aLineWrittenWhileARequestIsHandledNamesItsCustomerOrderAndTrace(CapturedOutput output) {
        String orderId = UUID.randomUUID().toString();

        RestClient.create("http://localhost:" + port)
                .get()
                .uri("/api/customers/structured-bob/echo?orderId=" + orderId)
                .retrieve()
                .toBodilessEntity();

        JsonNode line = output.getOut()
                .lines()
                .filter(text -> text.startsWith("{") && text.contains(orderId))
                .map(JSON::readTree)
                .filter(node -> node.path("message").asString().equals("Echoing"))
                .findFirst()
                .orElseThrow();
        assertThat(line.path("customerId").asString()).isEqualTo("structured-bob");
        assertThat(line.path("orderId").asString()).isEqualTo(orderId);
        // A trace of its own, not sampled here (no exporter), and still named in the line.
        assertThat(line.path("traceId").asString()).matches("[0-9a-f]{32}");
    }

    /**
     * A batch of one record has its event's ids in the log context (a batch of several, their spans only). Records
     * that earlier tests left on the topic may share the first poll with this one; then another event is sent,
     * alone, a moment later.
     */
    @Test
    void aLineWrittenWhileAnEventIsAppliedNamesItsEventOrderCustomerAndTrace(CapturedOutput output) {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Map<String, PaymentAuthorized> sent = new ConcurrentHashMap<>();
        JsonNode line = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(3))
                .until(
                        () -> {
                            JsonNode found = output.getOut()
                                    .lines()
                                    .filter(text -> text.startsWith("{") && text.contains("Applying"))
                                    .map(JSON::readTree)
                                    .filter(node -> sent.containsKey(
                                            node.path("eventId").asString()))
                                    .findFirst()
                                    .orElse(null);
                            if (found == null) {
                                PaymentAuthorized event = new PaymentAuthorized(
                                        UUID.randomUUID(),
                                        Instant.now(),
                                        UUID.randomUUID(),
                                        UUID.randomUUID(),
                                        "structured-alice",
                                        new BigDecimal("25.00"),
                                        "EUR");
                                ProducerRecord<String, byte[]> record = codec.record(event);
                                record.headers()
                                        .add(
                                                "traceparent",
                                                ("00-" + traceId + "-00f067aa0ba902b7-00")
                                                        .getBytes(StandardCharsets.UTF_8));
                                sent.put(event.eventId().toString(), event);
                                kafka.send(record);
                            }
                            return found;
                        },
                        node -> node != null);

        PaymentAuthorized event = sent.get(line.path("eventId").asString());
        assertThat(line.path("message").asString()).startsWith("Applying");
        assertThat(line.path("eventType").asString()).isEqualTo("PaymentAuthorized");
        assertThat(line.path("orderId").asString()).isEqualTo(event.orderId().toString());
        assertThat(line.path("customerId").asString()).isEqualTo("structured-alice");
        assertThat(line.path("traceId").asString()).isEqualTo(traceId);
    }
}

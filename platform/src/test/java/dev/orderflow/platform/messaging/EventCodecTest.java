package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.PaymentEvent;
import dev.orderflow.events.PaymentRefunded;
import dev.orderflow.events.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private static final UUID ORDER = UUID.randomUUID();

    private final EventCodec codec = new EventCodec();

    static List<DomainEvent> everyEvent() {
        UUID payment = UUID.randomUUID();
        BigDecimal amount = new BigDecimal("25.00");
        return List.of(
                new OrderPlaced(
                        UUID.randomUUID(),
                        NOW,
                        ORDER,
                        "alice",
                        "EUR",
                        List.of(new OrderPlaced.Item("BOOK-1", 2, new BigDecimal("12.50"))),
                        amount),
                new OrderConfirmed(UUID.randomUUID(), NOW, ORDER, "alice", payment),
                new OrderRejected(UUID.randomUUID(), NOW, ORDER, "alice", "INSUFFICIENT_CREDIT"),
                new OrderCancelled(UUID.randomUUID(), NOW, ORDER, "alice"),
                new PaymentAuthorized(UUID.randomUUID(), NOW, ORDER, payment, "alice", amount, "EUR"),
                new PaymentDeclined(
                        UUID.randomUUID(), NOW, ORDER, payment, "alice", amount, "EUR", "INSUFFICIENT_CREDIT"),
                new PaymentRefunded(UUID.randomUUID(), NOW, ORDER, payment, "alice", amount, "EUR"));
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void decodesWhatItEncodes(DomainEvent event) {
        byte[] json = codec.encode(event);

        Class<? extends DomainEvent> family = event instanceof OrderEvent ? OrderEvent.class : PaymentEvent.class;
        DomainEvent decoded = codec.decode(record(Topics.of(event), json), family);

        assertThat(decoded).isEqualTo(event);
    }

    @Test
    void writesTheTypeVersionAndEnvelopeIntoTheJson() {
        String json = new String(codec.encode(everyEvent().get(0)), StandardCharsets.UTF_8);

        assertThat(json)
                .startsWith("{\"type\":\"OrderPlaced\",\"version\":1,")
                .contains(
                        "\"eventId\":",
                        "\"orderId\":\"" + ORDER + "\"",
                        "\"occurredAt\":\"" + NOW + "\"",
                        "\"total\":25.00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1, 2]", "{\"version\": 1}"})
    void refusesRecordsThatAreNotEventsAsUnprocessable(String value) {
        assertThatThrownBy(() -> codec.decode(record("order-events", value), OrderEvent.class))
                .isInstanceOf(UnprocessableEventException.class);
    }

    @Test
    void refusesAnUnknownTypeOrATypeOfAnotherTopic() {
        assertThatThrownBy(
                        () -> codec.decode(record("order-events", "{\"type\": \"OrderTeleported\"}"), OrderEvent.class))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageContaining("unknown event type 'OrderTeleported'");
        byte[] payment = codec.encode(everyEvent().get(4));
        assertThatThrownBy(() -> codec.decode(record("order-events", payment), OrderEvent.class))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageContaining("unknown event type 'PaymentAuthorized'");
    }

    @Test
    void refusesAKnownTypeWithMissingFields() {
        String json = "{\"type\": \"OrderCancelled\", \"eventId\": \"%s\", \"occurredAt\": \"%s\", \"orderId\": \"%s\"}"
                .formatted(UUID.randomUUID(), NOW, ORDER);

        assertThatThrownBy(() -> codec.decode(record("order-events", json), OrderEvent.class))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageContaining("invalid OrderCancelled")
                .hasMessageContaining("customerId is required");
    }

    @Test
    void refusesANewerSchemaVersion() {
        String json = new String(codec.encode(everyEvent().get(3)), StandardCharsets.UTF_8)
                .replace("\"version\":1", "\"version\":2");

        assertThatThrownBy(() -> codec.decode(record("order-events", json), OrderEvent.class))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageContaining("unsupported schema version 2");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String value) {
        return record(topic, value.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 0L, ORDER.toString(), value);
    }
}

package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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

    /** An honest OrderPlaced as JSON, with one field replaced by a raw JSON value. */
    private static String orderPlacedWith(String field, String json) {
        String honest = """
                {"type": "OrderPlaced", "version": 1, "eventId": "%s", "occurredAt": "%s", "orderId": "%s",
                 "customerId": "alice", "currency": "EUR",
                 "items": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}], "total": 25.00}""".formatted(UUID.randomUUID(), NOW, ORDER);
        return honest.replaceFirst(
                "\"" + field + "\": (\\[[^\\]]*\\]|[^,}]*)", "\"" + field + "\": " + Matcher.quoteReplacement(json));
    }

    private static String items(int count, String item) {
        return "[" + String.join(",", Collections.nCopies(count, item)) + "]";
    }

    static Stream<Arguments> forgedOrders() {
        String item = "{\"sku\": \"BOOK-1\", \"quantity\": 1, \"unitPrice\": 1.00}";
        return Stream.of(
                Arguments.of("total", "\"1e999999999\"", "total numeric value out of bounds"),
                Arguments.of("total", "1e999999999", "total numeric value out of bounds"),
                Arguments.of("total", "1e-999999999", "total numeric value out of bounds"),
                Arguments.of("total", "100000000000.01", "total must be less than or equal to 100000000000"),
                Arguments.of("total", "25.001", "total numeric value out of bounds"),
                Arguments.of(
                        "items",
                        "[{\"sku\": \"BOOK-1\", \"quantity\": 1, \"unitPrice\": 1e999999999}]",
                        "items[0].unitPrice"),
                Arguments.of(
                        "items",
                        "[{\"sku\": \"BOOK-1\", \"quantity\": 1e999999999, \"unitPrice\": 1.00}]",
                        "invalid OrderPlaced"),
                Arguments.of(
                        "items",
                        "[{\"sku\": \"BOOK-1\", \"quantity\": 1001, \"unitPrice\": 1.00}]",
                        "items[0].quantity must be less than or equal to 1000"),
                Arguments.of(
                        "items",
                        "[{\"sku\": \"BOOK-1\", \"quantity\": 1, \"unitPrice\": 1000000.01}]",
                        "items[0].unitPrice must be less than or equal to 1000000"),
                Arguments.of("items", items(101, item), "items size must be between 0 and 100"),
                Arguments.of(
                        "items",
                        "[{\"sku\": \"" + "x".repeat(65) + "\", \"quantity\": 1, \"unitPrice\": 1.00}]",
                        "items[0].sku size must be between 0 and 64"),
                Arguments.of(
                        "items",
                        "[{\"sku\": \"BOOK\\u0000\", \"quantity\": 1, \"unitPrice\": 1.00}]",
                        "items[0].sku must not contain control characters (was 'BOOK?')"),
                Arguments.of(
                        "customerId",
                        "\"" + "a".repeat(100_000) + "\"",
                        "customerId must be 1-64 of A-Z a-z 0-9 . _ - (was 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' (100000 characters))"),
                Arguments.of("customerId", "\"alice\\u0000\"", "customerId must be 1-64"),
                Arguments.of("currency", "\"euro\"", "currency must be three upper-case letters"),
                Arguments.of("orderId", "\"not-a-uuid\"", "invalid OrderPlaced"),
                Arguments.of("orderId", "null", "orderId is required"),
                Arguments.of("total", "{\"a\": 1}", "invalid OrderPlaced"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("forgedOrders")
    void refusesAnOrderPlacedBeyondTheBoundsOfTheApiQuicklyAndSaysWhy(String field, String json, String reason) {
        String forged = orderPlacedWith(field, json);
        assertThat(forged).as("the forged field replaced the honest one").isNotEqualTo(orderPlacedWith(field, "0"));

        assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () -> assertThatThrownBy(() -> codec.decode(record("order-events", forged), OrderEvent.class))
                        .isInstanceOf(UnprocessableEventException.class)
                        .hasMessageStartingWith("invalid OrderPlaced")
                        .hasMessageContaining(reason)
                        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000)));
    }

    @Test
    void namesAFewViolationsAndCountsTheRest() {
        String item = "{\"sku\": \"BOOK-1\", \"quantity\": 5000, \"unitPrice\": 1.001}";
        String forged = orderPlacedWith("items", items(100, item));

        assertThatThrownBy(() -> codec.decode(record("order-events", forged), OrderEvent.class))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageEndingWith("and 195 more");
    }

    @Test
    void acceptsAnOrderPlacedAtTheBoundsOfTheApi() {
        String item = "{\"sku\": \"" + "x".repeat(64) + "\", \"quantity\": 1000, \"unitPrice\": 1000000.00}";
        String largest =
                orderPlacedWith("items", items(100, item)).replace("\"total\": 25.00", "\"total\": 100000000000.00");

        OrderPlaced decoded = (OrderPlaced) codec.decode(record("order-events", largest), OrderEvent.class);

        assertThat(decoded.total()).isEqualByComparingTo("100000000000");
        assertThat(decoded.items()).hasSize(100);
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void refusesAnyEventWithAnAbsurdAmountOrCustomer(DomainEvent event) {
        String json = new String(codec.encode(event), StandardCharsets.UTF_8)
                .replace("\"customerId\":\"alice\"", "\"customerId\":\"al ice\"");
        Class<? extends DomainEvent> family = event instanceof OrderEvent ? OrderEvent.class : PaymentEvent.class;

        assertThatThrownBy(() -> codec.decode(record(Topics.of(event), json), family))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageContaining("customerId must be 1-64");
        if (event instanceof PaymentEvent) {
            String absurd = new String(codec.encode(event), StandardCharsets.UTF_8).replace("25.00", "1E+999999999");
            assertThatThrownBy(() -> codec.decode(record(Topics.of(event), absurd), family))
                    .isInstanceOf(UnprocessableEventException.class)
                    .hasMessageContaining("amount numeric value out of bounds");
        }
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void decodesTheSameEventWhereverItsTypeAndVersionStand(DomainEvent event) {
        String json = new String(codec.encode(event), StandardCharsets.UTF_8);
        String typeAndVersion = "\"type\":\"" + event.type() + "\",\"version\":1,";
        String fields = json.replace(typeAndVersion, "");
        String typeLast = fields.substring(0, fields.length() - 1) + "," + typeAndVersion.replaceAll(",$", "") + "}";
        ConsumerRecord<String, byte[]> typeOnlyInHeader = record(Topics.of(event), fields);
        typeOnlyInHeader.headers().add(EventCodec.TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8));

        Class<? extends DomainEvent> family = event instanceof OrderEvent ? OrderEvent.class : PaymentEvent.class;
        assertThat(json).startsWith("{" + typeAndVersion);
        assertThat(codec.decode(record(Topics.of(event), typeLast), family)).isEqualTo(event);
        assertThat(codec.decode(typeOnlyInHeader, family)).isEqualTo(event);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"OrderCancelled\",\"version\":1,%s,\"type\":\"OrderConfirmed\"}",
                "{\"type\":\"OrderCancelled\",\"version\":1,%s,\"version\":2}",
                "{\"type\":\"OrderCancelled\",\"version\":1,%s,\"customerId\":\"mallory\"}"
            })
    void refusesAKeyThatComesTwiceAsUnreadable(String template) {
        String fields = "\"eventId\":\"%s\",\"occurredAt\":\"%s\",\"orderId\":\"%s\",\"customerId\":\"alice\""
                .formatted(UUID.randomUUID(), NOW, ORDER);

        assertThatThrownBy(() -> codec.decode(record("order-events", template.formatted(fields)), OrderEvent.class))
                .isInstanceOf(UnprocessableEventException.class)
                .hasMessageStartingWith("unreadable JSON: Duplicate Object property");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String value) {
        return record(topic, value.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 0L, ORDER.toString(), value);
    }
}

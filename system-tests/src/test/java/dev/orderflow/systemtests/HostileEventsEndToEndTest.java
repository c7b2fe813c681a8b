package dev.orderflow.systemtests;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.EventCodec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forged records on the real topics, as anyone who can produce to them could publish: each lands on the dead-letter
 * topic of every service that consumes its topic, with its reason; nothing of it is stored; and the services go on,
 * so that the next honest order is confirmed and notified.
 */
class HostileEventsEndToEndTest extends SuiteFixture {

    /** A value that, with its key and headers, just fits the broker's default 1 MiB record (and a producer's). */
    private static final int NEAR_THE_BROKERS_LIMIT = 1024 * 1024 - 2048;

    private static final EventCodec CODEC = new EventCodec();

    /** A forged record: its value, given the order id and the customer it claims, and the reason expected. */
    record Forgery(String topic, Function<Honest, String> value, String reason) {

        @Override
        public String toString() {
            return reason;
        }
    }

    /** What an honest event of the forged record's order would say, as the codec writes it. */
    record Honest(UUID orderId, String customer) {

        String placed() {
            return json(CODEC.encode(new OrderPlaced(
                    UUID.randomUUID(),
                    Instant.now(),
                    orderId,
                    customer,
                    "EUR",
                    List.of(new OrderPlaced.Item("BOOK-1", 2, new BigDecimal("12.50"))),
                    new BigDecimal("25.00"))));
        }

        String authorized() {
            return json(CODEC.encode(new PaymentAuthorized(
                    UUID.randomUUID(),
                    Instant.now(),
                    orderId,
                    UUID.randomUUID(),
                    customer,
                    new BigDecimal("25.00"),
                    "EUR")));
        }

        /** An honest OrderPlaced with a field replaced by raw JSON. */
        String placedWith(String field, String json) {
            return replace(placed(), field, json);
        }

        private static String replace(String event, String field, String json) {
            String replaced = event.replaceFirst(
                    "\"" + field + "\":(\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]*)",
                    java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + json));
            assertThat(replaced).as("%s replaced", field).isNotEqualTo(event);
            return replaced;
        }

        private static String json(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static Stream<Arguments> forgeries() {
        String item = "{\"sku\": \"BOOK-1\", \"quantity\": 1, \"unitPrice\": 1.00}";
        return Stream.of(
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith("total", "\"1e999999999\""),
                                "total numeric value out of bounds"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith("total", "1e999999999"),
                                "total numeric value out of bounds"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith("total", "1e-999999999"),
                                "total numeric value out of bounds"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith("total", "100000000000.01"),
                                "total must be less than or equal to 100000000000"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith("customerId", "\"" + "x".repeat(100_000) + "\""),
                                "customerId must be 1-64"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith(
                                        "items", "[" + String.join(",", Collections.nCopies(101, item)) + "]"),
                                "items size must be between 0 and 100"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith(
                                        "items", "[{\"sku\": \"BOOK\\u0000\", \"quantity\": 1, \"unitPrice\": 1.00}]"),
                                "items[0].sku must not contain control characters"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith(
                                        "items", "[{\"sku\": \"BOOK-1\", \"quantity\": 1001, \"unitPrice\": 1.00}]"),
                                "items[0].quantity must be less than or equal to 1000"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> "{\"type\": \"OrderPlaced\", \"eventId\": ",
                                "unreadable JSON"),
                        new Forgery(Topics.ORDER_EVENTS, h -> h.placedWith("items", "\"many\""), "invalid OrderPlaced"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> h.placedWith("type", "\"OrderTeleported\""),
                                "unknown event type 'OrderTeleported'"),
                        new Forgery(Topics.ORDER_EVENTS, h -> h.placedWith("eventId", "null"), "eventId is required"),
                        new Forgery(
                                Topics.ORDER_EVENTS,
                                h -> {
                                    String honest = h.placed();
                                    return h.placedWith(
                                            "customerId",
                                            "\"" + "x".repeat(NEAR_THE_BROKERS_LIMIT - honest.length()) + "\"");
                                },
                                "invalid OrderPlaced: customerId must be 1-64"),
                        new Forgery(
                                Topics.PAYMENT_EVENTS,
                                h -> Honest.replace(h.authorized(), "amount", "\"1e999999999\""),
                                "amount numeric value out of bounds"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void aForgedRecordIsDeadLetteredByEachConsumerWithItsReasonStoresNothingAndStopsNoOne(Forgery forgery) {
        Honest claimed = new Honest(UUID.randomUUID(), newCustomer());
        byte[] value = forgery.value().apply(claimed).getBytes(StandardCharsets.UTF_8);
        String key = claimed.orderId().toString();

        kafka.send(new ProducerRecord<>(forgery.topic(), key, value));

        for (String consumer : consumersOf(forgery.topic())) {
            ConsumerRecord<String, byte[]> letter = eventually()
                    .until(
                            () -> kafka.find(Topics.deadLetter(forgery.topic(), consumer), r -> key.equals(r.key())),
                            Optional::isPresent)
                    .orElseThrow();
            assertThat(header(letter, "dlt-reason")).as(consumer).contains(forgery.reason());
            assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo(forgery.topic());
            assertThat(letter.value()).as("the forged record, whole").isEqualTo(value);
        }
        assertThat(Http.get(suite.payments.baseUrl() + "/api/payments?orderId=" + key)
                        .body())
                .isEmpty();
        assertThat(notificationTypes(claimed.customer())).isEmpty();
        assertThat(Http.get(suite.orders.baseUrl() + "/api/orders/" + key).status())
                .isEqualTo(404);

        String customer = newCustomer();
        String orderId = Http.post(suite.orders.baseUrl() + "/api/orders", """
                        {"customerId": "%s", "currency": "EUR",
                         "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": 10.00}]}""".formatted(customer))
                .body()
                .get("orderId")
                .asString();
        eventually()
                .until(
                        () -> Http.get(suite.orders.baseUrl() + "/api/orders/" + orderId)
                                .body()
                                .get("status")
                                .asString(),
                        "CONFIRMED"::equals);
        eventually().until(() -> notificationTypes(customer), types -> types.size() == 2);
        for (Suite.Service service : List.of(suite.orders, suite.payments, suite.notifications)) {
            assertThat(Http.get(service.baseUrl() + "/actuator/health")
                            .body()
                            .get("status")
                            .asString())
                    .isEqualTo("UP");
        }
    }

    private static List<String> consumersOf(String topic) {
        return topic.equals(Topics.ORDER_EVENTS)
                ? List.of("payment-service", "notification-service")
                : List.of("order-service");
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
    }
}

package dev.orderflow.orderservice;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.platform.messaging.Pruner;
import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** The service on real PostgreSQL and Kafka: what it publishes, how it reacts to payment outcomes. */
@SpringBootTest(
        classes = OrderServiceApplication.class,
        webEnvironment = RANDOM_PORT,
        properties = "spring.config.name=order-service")
@RealInfrastructure
class OrderServiceIntegrationTest extends OrderServiceFixture {

    @Autowired
    @Qualifier("idempotencyKeyPruner")
    Pruner idempotencyKeyPruner;

    @Autowired
    @Qualifier("processedEventsPruner")
    Pruner processedEventsPruner;

    private static final String DEAD_LETTERS = Topics.deadLetter(Topics.PAYMENT_EVENTS, "order-service");

    @Test
    void publishesOneOrderPlacedKeyedByTheOrderIdAndEmptiesTheOutbox() {
        ResponseEntity<JsonNode> placed = placeOrder("alice");
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        UUID orderId = UUID.fromString(placed.getBody().get("orderId").asString());

        eventually()
                .until(() -> outboxRows() == 0
                        && !orderEvents(orderId, OrderPlaced.class).isEmpty());

        ConsumerRecord<String, byte[]> record =
                orderEvents(orderId, OrderPlaced.class).getFirst();
        assertThat(orderEvents(orderId, OrderPlaced.class)).hasSize(1);
        OrderPlaced event = (OrderPlaced) codec.decode(record, OrderEvent.class);
        assertThat(event.orderId()).isEqualTo(orderId);
        assertThat(event.customerId()).isEqualTo("alice");
        assertThat(event.currency()).isEqualTo("EUR");
        assertThat(event.items()).containsExactly(new OrderPlaced.Item("BOOK-1", 2, new BigDecimal("12.50")));
        assertThat(event.total()).isEqualTo(new BigDecimal("25.00"));
        assertThat(header(record, EventCodec.TYPE_HEADER)).isEqualTo("OrderPlaced");
        assertThat(header(record, EventCodec.VERSION_HEADER)).isEqualTo(String.valueOf(DomainEvent.SCHEMA_VERSION));
        assertThat(header(record, EventCodec.ID_HEADER))
                .isEqualTo(event.eventId().toString());
    }

    @Test
    void anAuthorizedPaymentConfirmsTheOrderAndPublishesOrderConfirmed() {
        UUID orderId = placedOrderId("bob");
        PaymentAuthorized authorized = authorized(orderId, "bob");

        publish(authorized);

        JsonNode order = awaitStatus(orderId, "CONFIRMED");
        assertThat(order.get("reason").isNull()).isTrue();
        ConsumerRecord<String, byte[]> record = eventually()
                .until(() -> orderEvents(orderId, OrderConfirmed.class), records -> !records.isEmpty())
                .getFirst();
        OrderConfirmed confirmed = (OrderConfirmed) codec.decode(record, OrderEvent.class);
        assertThat(confirmed.paymentId()).isEqualTo(authorized.paymentId());
        assertThat(confirmed.customerId()).isEqualTo("bob");
        assertThat(header(record, EventCodec.ID_HEADER))
                .isEqualTo(confirmed.eventId().toString());
    }

    @Test
    void aRedeliveredPaymentEventChangesNothing() {
        UUID orderId = placedOrderId("carol");
        PaymentAuthorized authorized = authorized(orderId, "carol");
        publish(authorized);
        JsonNode confirmed = awaitStatus(orderId, "CONFIRMED");

        RecordMetadata duplicate = publish(authorized);
        TopicPartition partition = new TopicPartition(duplicate.topic(), duplicate.partition());
        eventually().until(() -> kafka.committedOffset("order-service", partition) > duplicate.offset());
        eventually().until(() -> outboxRows() == 0);

        assertThat(orderEvents(orderId, OrderConfirmed.class)).hasSize(1);
        assertThat(order(orderId)).isEqualTo(confirmed);
        assertThat(jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = ?")
                        .param(authorized.eventId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(kafka.readAll(DEAD_LETTERS))
                .noneMatch(r -> orderId.toString().equals(r.key()));
    }

    @Test
    void aDeclinedPaymentRejectsTheOrderWithTheReason() {
        UUID orderId = placedOrderId("dave");

        publish(new PaymentDeclined(
                UUID.randomUUID(),
                Instant.now(),
                orderId,
                UUID.randomUUID(),
                "dave",
                new BigDecimal("25.00"),
                "EUR",
                PaymentDeclined.INSUFFICIENT_CREDIT));

        JsonNode order = awaitStatus(orderId, "REJECTED");
        assertThat(order.get("reason").asString()).isEqualTo("INSUFFICIENT_CREDIT");
        ConsumerRecord<String, byte[]> record = eventually()
                .until(() -> orderEvents(orderId, OrderRejected.class), records -> !records.isEmpty())
                .getFirst();
        assertThat(((OrderRejected) codec.decode(record, OrderEvent.class)).reason())
                .isEqualTo("INSUFFICIENT_CREDIT");
    }

    @Test
    void aPaymentEventForAnUnknownOrderGoesToTheDeadLetterTopic() {
        UUID unknown = UUID.randomUUID();

        RecordMetadata sent = publish(authorized(unknown, "erin"));

        ConsumerRecord<String, byte[]> letter = eventually()
                .until(
                        () -> kafka.readAll(DEAD_LETTERS).stream()
                                .filter(r -> unknown.toString().equals(r.key()))
                                .toList(),
                        letters -> !letters.isEmpty())
                .getFirst();
        assertThat(header(letter, DeadLetters.REASON_HEADER)).contains("no order " + unknown);
        assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo(Topics.PAYMENT_EVENTS);
        assertThat(header(letter, EventCodec.TYPE_HEADER)).isEqualTo("PaymentAuthorized");
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        eventually().until(() -> kafka.committedOffset("order-service", partition) > sent.offset());
    }

    @Test
    void healthIsUpWithKafka() {
        ResponseEntity<JsonNode> health =
                http.get().uri("/actuator/health").retrieve().toEntity(JsonNode.class);

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody().get("status").asString()).isEqualTo("UP");
        assertThat(health.getBody().get("components").get("kafka").get("status").asString())
                .isEqualTo("UP");
        assertThat(health.getBody().get("components").get("db").get("status").asString())
                .isEqualTo("UP");
    }

    @Test
    void anIdempotencyKeyHoldsFor24HoursThenPlacesANewOrderAndIsPrunedOnceExpired() {
        String key = "key-" + UUID.randomUUID();
        String customer = "c-" + UUID.randomUUID().toString().substring(0, 8);
        UUID first = UUID.fromString(
                placeOrder(customer, key, 2).getBody().get("orderId").asString());
        assertThat(placeOrder(customer, key, 3).getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

        ageIdempotencyKey(key, "23 hours");
        assertThat(placeOrder(customer, key, 3).getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        ageIdempotencyKey(key, "25 hours");
        ResponseEntity<JsonNode> anew = placeOrder(customer, key, 3);

        assertThat(anew.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(UUID.fromString(anew.getBody().get("orderId").asString())).isNotEqualTo(first);
        assertThat(placeOrder(customer, key, 3).getBody().get("orderId").asString())
                .isEqualTo(anew.getBody().get("orderId").asString());
        ageIdempotencyKey(key, "25 hours");
        assertThat(idempotencyKeyPruner.prune()).isPositive();
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_key WHERE key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void theMessageLogKeepsAnEventIdAsLongAsTheTopicCanDeliverItAgainAndThenPrunesIt() {
        // The broker's defaults: records are kept 7 days in segments that roll every 7 days, so a record can be
        // read for up to 14 days; the service's own keep period (7 days) is shorter and gives way.
        UUID tenDaysOld = processedEventAged("10 days");
        UUID fifteenDaysOld = processedEventAged("15 days");
        UUID recent = processedEventAged("1 minute");

        assertThat(processedEventsPruner.prune()).isPositive();

        assertThat(jdbc.sql("SELECT event_id FROM processed_event WHERE event_id IN (?, ?, ?)")
                        .params(tenDaysOld, fifteenDaysOld, recent)
                        .query(UUID.class)
                        .list())
                .containsExactlyInAnyOrder(tenDaysOld, recent);
        assertThat(processedEventsPruner.prune())
                .as("a round with nothing to prune")
                .isZero();
    }

    // --- helpers -----------------------------------------------------------------------------------

    private ResponseEntity<JsonNode> placeOrder(String customer, String idempotencyKey, int quantity) {
        return OrderPlacements.place(http, """
                {"customerId": "%s", "currency": "EUR",
                 "items": [{"sku": "BOOK-1", "quantity": %d, "unitPrice": 12.50}]}""".formatted(customer, quantity), idempotencyKey);
    }

    private void ageIdempotencyKey(String key, String age) {
        jdbc.sql("UPDATE idempotency_key SET created_at = now() - ?::interval WHERE key = ?")
                .params(age, key)
                .update();
    }

    private UUID processedEventAged(String age) {
        UUID eventId = UUID.randomUUID();
        jdbc.sql("INSERT INTO processed_event (event_id, event_type, processed_at) VALUES (?, 'PaymentAuthorized',"
                        + " now() - ?::interval)")
                .params(eventId, age)
                .update();
        return eventId;
    }

    private ResponseEntity<JsonNode> placeOrder(String customer) {
        return OrderPlacements.place(http, """
                {"customerId": "%s", "currency": "EUR",
                 "items": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}]}""".formatted(customer));
    }

    private UUID placedOrderId(String customer) {
        ResponseEntity<JsonNode> placed = placeOrder(customer);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        return UUID.fromString(placed.getBody().get("orderId").asString());
    }

    /** Waits for the order to reach the status; returns it as the API shows it then. */
    private JsonNode awaitStatus(UUID orderId, String status) {
        return eventually()
                .until(() -> order(orderId), o -> status.equals(o.get("status").asString()));
    }

    private static PaymentAuthorized authorized(UUID orderId, String customer) {
        return new PaymentAuthorized(
                UUID.randomUUID(), Instant.now(), orderId, UUID.randomUUID(), customer, new BigDecimal("25.00"), "EUR");
    }

    /** As payment-service publishes it: keyed by the order id, type, version and id in headers. */
    private RecordMetadata publish(DomainEvent event) {
        return kafka.send(codec.record(event));
    }

    private List<ConsumerRecord<String, byte[]>> orderEvents(UUID orderId, Class<? extends OrderEvent> type) {
        return kafka.readAll(Topics.ORDER_EVENTS).stream()
                .filter(r -> orderId.toString().equals(r.key()))
                .filter(r -> type.getSimpleName().equals(header(r, EventCodec.TYPE_HEADER)))
                .toList();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}

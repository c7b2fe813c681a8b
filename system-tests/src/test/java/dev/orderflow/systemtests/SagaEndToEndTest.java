package dev.orderflow.systemtests;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static dev.orderflow.testsupport.KafkaTestClient.intHeader;
import static dev.orderflow.testsupport.KafkaTestClient.longHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The order → payment → notification saga across the three running services, through the contract. */
class SagaEndToEndTest extends SuiteFixture {

    @Test
    void confirmsAnOrderWithinCreditAndNotifiesEachStepOnce() {
        String customer = newCustomer();
        Http.Response placed = placeOrder(customer, "EUR", "BOOK-1", 2, "12.50");

        assertThat(placed.status()).isEqualTo(202);
        assertThat(placed.body().get("status").asString()).isEqualTo("PENDING");
        assertThat(placed.body().get("total").decimalValue()).isEqualByComparingTo("25.00");
        String orderId = placed.body().get("orderId").asString();
        assertThat(placed.location()).isEqualTo("/api/orders/" + orderId);

        JsonNode order = awaitStatus(orderId, "CONFIRMED");
        assertThat(order.get("reason").isNull()).isTrue();
        JsonNode payments = Http.get(suite.payments.baseUrl() + "/api/payments?orderId=" + orderId)
                .body();
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).get("status").asString()).isEqualTo("AUTHORIZED");
        assertThat(payments.get(0).get("amount").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(credit(customer, "EUR").get("available").decimalValue()).isEqualByComparingTo("975.00");
        assertThat(awaitNotifications(customer, 2)).containsExactly("ORDER_CONFIRMED", "ORDER_PLACED");
    }

    @Test
    void rejectsAnOrderBeyondTheCustomersCredit() {
        String customer = newCustomer();
        String orderId = placedOrderId(customer, "USD", "TV-1", 3, "500.00");

        JsonNode order = awaitStatus(orderId, "REJECTED");
        assertThat(order.get("reason").asString()).isEqualTo("INSUFFICIENT_CREDIT");
        JsonNode payment = Http.get(suite.payments.baseUrl() + "/api/payments?orderId=" + orderId)
                .body()
                .get(0);
        assertThat(payment.get("status").asString()).isEqualTo("DECLINED");
        assertThat(payment.get("reason").asString()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(credit(customer, "USD").get("available").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(awaitNotifications(customer, 2)).containsExactly("ORDER_REJECTED", "ORDER_PLACED");
    }

    @Test
    void cancellingAConfirmedOrderRefundsTheCreditAndCannotBeRepeated() {
        String customer = newCustomer();
        String orderId = placedOrderId(customer, "EUR", "BOOK-1", 4, "100.00");
        awaitStatus(orderId, "CONFIRMED");
        assertThat(credit(customer, "EUR").get("available").decimalValue()).isEqualByComparingTo("600.00");

        Http.Response cancelled = Http.post(suite.orders.baseUrl() + "/api/orders/" + orderId + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");

        awaitPaymentStatus(orderId, "REFUNDED");
        assertThat(credit(customer, "EUR").get("available").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(awaitNotifications(customer, 3))
                .containsExactly("ORDER_CANCELLED", "ORDER_CONFIRMED", "ORDER_PLACED");

        Http.Response again = Http.post(suite.orders.baseUrl() + "/api/orders/" + orderId + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aCancellationThatOvertakesTheAuthorizationStillRefunds() {
        String customer = newCustomer();
        String orderId = placedOrderId(customer, "EUR", "BOOK-1", 1, "300.00");
        Http.Response cancelled = Http.post(suite.orders.baseUrl() + "/api/orders/" + orderId + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(202);

        awaitPaymentStatus(orderId, "REFUNDED");
        assertThat(credit(customer, "EUR").get("available").decimalValue()).isEqualByComparingTo("1000.00");
        // The late authorization changes nothing on the cancelled order.
        assertThat(awaitNotifications(customer, 2)).containsExactly("ORDER_CANCELLED", "ORDER_PLACED");
        assertThat(order(orderId).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameOrderAndRefusesAnotherBody() {
        String customer = newCustomer();
        String key = UUID.randomUUID().toString();
        Http.Response first = placeOrder(customer, "EUR", "BOOK-1", 1, "10.00", "Idempotency-Key", key);
        Http.Response second = placeOrder(customer, "EUR", "BOOK-1", 1, "10.0", "Idempotency-Key", key);
        Http.Response other = placeOrder(customer, "EUR", "BOOK-2", 1, "10.00", "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isBetween(200, 299);
        assertThat(second.body().get("orderId")).isEqualTo(first.body().get("orderId"));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(ordersOf(customer).get("page").get("totalElements").asLong()).isEqualTo(1);
    }

    @Test
    void rejectsInvalidOrdersWithProblemDetailsNamingTheFieldsAndStoresNothing() {
        String customer = newCustomer();
        Http.Response invalid = Http.post(suite.orders.baseUrl() + "/api/orders", """
                {"customerId": "%s", "currency": "eur",
                 "items": [{"sku": "", "quantity": 0, "unitPrice": 1.234}]}""".formatted(customer));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.contentType()).startsWith("application/problem+json");
        assertThat(fields(invalid))
                .containsExactlyInAnyOrder("currency", "items[0].sku", "items[0].quantity", "items[0].unitPrice");

        Http.Response malformed = Http.post(suite.orders.baseUrl() + "/api/orders", "{\"customerId\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");

        Http.Response wrongType = Http.post(suite.orders.baseUrl() + "/api/orders", """
                {"customerId": "%s", "currency": "EUR",
                 "items": [{"sku": "A", "quantity": 1.5, "unitPrice": 1}]}""".formatted(customer));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(fields(wrongType)).containsExactly("items[0].quantity");

        Http.Response badKey = placeOrder(customer, "EUR", "A", 1, "1.00", "Idempotency-Key", "k".repeat(256));
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(fields(badKey)).containsExactly("Idempotency-Key");

        assertThat(Http.get(suite.orders.baseUrl() + "/api/orders/not-a-uuid").status())
                .isEqualTo(400);
        Http.Response unknown = Http.get(suite.orders.baseUrl() + "/api/orders/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(ordersOf(customer).get("page").get("totalElements").asLong()).isZero();
    }

    @Test
    void aDuplicatedEventChangesNothing() {
        String customer = newCustomer();
        String orderId = placedOrderId(customer, "EUR", "BOOK-1", 1, "50.00");
        awaitStatus(orderId, "CONFIRMED");
        awaitNotifications(customer, 2);

        ConsumerRecord<String, byte[]> placed = kafka.find(
                        Topics.ORDER_EVENTS,
                        r -> orderId.equals(r.key()) && "OrderPlaced".equals(header(r, "event-type")))
                .orElseThrow();
        ProducerRecord<String, byte[]> copy =
                new ProducerRecord<>(Topics.ORDER_EVENTS, null, placed.key(), placed.value(), placed.headers());
        RecordMetadata sent = kafka.send(copy);
        awaitProcessed("payment-service", sent);
        awaitProcessed("notification-service", sent);

        assertThat(Http.get(suite.payments.baseUrl() + "/api/payments?orderId=" + orderId)
                        .body())
                .hasSize(1);
        assertThat(credit(customer, "EUR").get("available").decimalValue()).isEqualByComparingTo("950.00");
        assertThat(notificationTypes(customer)).containsExactly("ORDER_CONFIRMED", "ORDER_PLACED");
    }

    @Test
    void poisonRecordsGoToEachConsumersDeadLetterTopicAndThePartitionKeepsFlowing() {
        String customer = newCustomer();
        String orderId = placedOrderId(customer, "EUR", "BOOK-1", 1, "80.00");
        awaitStatus(orderId, "CONFIRMED");

        // Three kinds of poison on the order's own partition, ahead of its cancellation.
        List<String> poisons = List.of(
                "not json at all",
                "{\"type\": \"OrderTeleported\", \"version\": 1, \"eventId\": \"%s\", \"orderId\": \"%s\"}"
                        .formatted(UUID.randomUUID(), orderId),
                "{\"type\": \"OrderPlaced\", \"version\": 1, \"eventId\": \"%s\", \"orderId\": \"%s\"}"
                        .formatted(UUID.randomUUID(), orderId));
        List<RecordMetadata> sent = new ArrayList<>();
        for (String poison : poisons) {
            sent.add(kafka.send(
                    new ProducerRecord<>(Topics.ORDER_EVENTS, orderId, poison.getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(Http.post(suite.orders.baseUrl() + "/api/orders/" + orderId + "/cancel", "")
                        .status())
                .isEqualTo(202);

        // The records behind the poison are processed: the refund happens and is notified.
        awaitPaymentStatus(orderId, "REFUNDED");
        awaitNotifications(customer, 3);

        for (String service : List.of("payment-service", "notification-service")) {
            String dlt = Topics.deadLetter(Topics.ORDER_EVENTS, service);
            List<ConsumerRecord<String, byte[]>> dead = awaitDeadLetters(dlt, orderId, 3);
            for (int i = 0; i < sent.size(); i++) {
                ConsumerRecord<String, byte[]> letter = dead.get(i);
                assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(poisons.get(i));
                assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDER_EVENTS);
                assertThat(intHeader(letter, "kafka_dlt-original-partition"))
                        .isEqualTo(sent.get(i).partition());
                assertThat(longHeader(letter, "kafka_dlt-original-offset"))
                        .isEqualTo(sent.get(i).offset());
            }
            assertThat(header(dead.get(0), "dlt-reason")).contains("unreadable JSON");
            assertThat(header(dead.get(1), "dlt-reason")).contains("unknown event type 'OrderTeleported'");
            assertThat(header(dead.get(2), "dlt-reason")).contains("invalid OrderPlaced");
        }

        // And order-service's own consumer: a poison payment event.
        String poisonPayment = "{\"type\": \"PaymentVanished\", \"orderId\": \"%s\"}".formatted(orderId);
        kafka.send(
                new ProducerRecord<>(Topics.PAYMENT_EVENTS, orderId, poisonPayment.getBytes(StandardCharsets.UTF_8)));
        List<ConsumerRecord<String, byte[]>> dead =
                awaitDeadLetters(Topics.deadLetter(Topics.PAYMENT_EVENTS, "order-service"), orderId, 1);
        assertThat(header(dead.get(0), "dlt-reason")).contains("unknown event type 'PaymentVanished'");
    }

    @Test
    void aBurstOfConcurrentOrdersFromManyCustomersEndsConsistent() throws Exception {
        int orders = 300;
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            customers.add(newCustomer());
        }
        List<String> orderIds;
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(32)) {
            List<java.util.concurrent.Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                String customer = customers.get(i % customers.size());
                String price = String.valueOf(50 + (i * 37) % 250) + ".00"; // 10 orders each: some exceed credit
                futures.add(executor.submit(() -> {
                    Http.Response r = placeOrder(customer, "EUR", "ITEM", 1, price);
                    assertThat(r.status()).isEqualTo(202);
                    return r.body().get("orderId").asString();
                }));
            }
            orderIds = new ArrayList<>();
            for (var f : futures) {
                orderIds.add(f.get());
            }
        }

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> orderIds.stream()
                        .map(id -> order(id).get("status").asString())
                        .allMatch(s -> s.equals("CONFIRMED") || s.equals("REJECTED")));

        for (String customer : customers) {
            BigDecimal authorized = BigDecimal.ZERO;
            JsonNode page = Http.get(suite.orders.baseUrl() + "/api/orders?size=100&customerId=" + customer)
                    .body();
            assertThat(page.get("page").get("totalElements").asLong()).isEqualTo(10);
            for (JsonNode order : page.get("content")) {
                String orderId = order.get("orderId").asString();
                JsonNode payments = Http.get(suite.payments.baseUrl() + "/api/payments?orderId=" + orderId)
                        .body();
                assertThat(payments).hasSize(1);
                String expected = order.get("status").asString().equals("CONFIRMED") ? "AUTHORIZED" : "DECLINED";
                assertThat(payments.get(0).get("status").asString()).isEqualTo(expected);
                if (expected.equals("AUTHORIZED")) {
                    authorized = authorized.add(payments.get(0).get("amount").decimalValue());
                }
            }
            JsonNode credit = credit(customer, "EUR");
            assertThat(credit.get("limit")
                            .decimalValue()
                            .subtract(credit.get("available").decimalValue()))
                    .isEqualByComparingTo(authorized);
            List<String> types = awaitNotifications(customer, 20);
            assertThat(types.stream().filter("ORDER_PLACED"::equals)).hasSize(10);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static Http.Response placeOrder(
            String customer, String currency, String sku, int quantity, String unitPrice, String... headers) {
        return Http.post(
                suite.orders.baseUrl() + "/api/orders",
                """
                {"customerId": "%s", "currency": "%s", "items": [{"sku": "%s", "quantity": %d, "unitPrice": %s}]}""".formatted(customer, currency, sku, quantity, unitPrice),
                headers);
    }

    /** Places the order; returns the id its answer names. */
    private static String placedOrderId(String customer, String currency, String sku, int quantity, String unitPrice) {
        return placeOrder(customer, currency, sku, quantity, unitPrice)
                .body()
                .get("orderId")
                .asString();
    }

    private static JsonNode order(String orderId) {
        return Http.get(suite.orders.baseUrl() + "/api/orders/" + orderId).body();
    }

    private static JsonNode ordersOf(String customer) {
        return Http.get(suite.orders.baseUrl() + "/api/orders?customerId=" + customer)
                .body();
    }

    private static JsonNode credit(String customer, String currency) {
        return Http.get(suite.payments.baseUrl() + "/api/customers/" + customer + "/credit?currency=" + currency)
                .body();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }

    private static JsonNode awaitStatus(String orderId, String status) {
        return eventually()
                .until(() -> order(orderId), o -> status.equals(o.get("status").asString()));
    }

    private static void awaitPaymentStatus(String orderId, String status) {
        eventually()
                .until(
                        () -> Http.get(suite.payments.baseUrl() + "/api/payments?orderId=" + orderId)
                                .body(),
                        p -> p.size() == 1
                                && status.equals(p.get(0).get("status").asString()));
    }

    /** Waits for the customer's notifications to reach a count, then returns their types, newest first. */
    private static List<String> awaitNotifications(String customer, int count) {
        eventually().until(() -> notificationTypes(customer).size() >= count);
        return notificationTypes(customer);
    }

    private static void awaitProcessed(String group, RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        eventually().until(() -> kafka.committedOffset(group, partition) > record.offset());
    }

    private static List<ConsumerRecord<String, byte[]>> awaitDeadLetters(String topic, String key, int count) {
        return eventually()
                .until(
                        () -> kafka.readAll(topic).stream()
                                .filter(r -> key.equals(r.key()))
                                .toList(),
                        records -> records.size() >= count);
    }

    private static Set<String> fields(Http.Response problem) {
        return StreamSupport.stream(problem.body().get("errors").spliterator(), false)
                .map(e -> e.get("field").asString())
                .collect(Collectors.toSet());
    }
}

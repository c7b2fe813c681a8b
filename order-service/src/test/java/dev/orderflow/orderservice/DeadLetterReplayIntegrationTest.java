package dev.orderflow.orderservice;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The service's dead letters over its admin API: a payment outcome that came before its order is
 * dead-lettered, and once the order exists a replay applies it, once. And who may call what.
 */
@SpringBootTest(
        classes = OrderServiceApplication.class,
        webEnvironment = RANDOM_PORT,
        properties = {
            "spring.config.name=order-service",
            // A consumer group and dead-letter topic of its own: another cached context of this service
            // must not take its records.
            "orderflow.messaging.service-name=order-service-dead-letter-test",
            "orderflow.admin.password=secret"
        })
@RealInfrastructure
class DeadLetterReplayIntegrationTest extends OrderServiceFixture {

    @Test
    void replaysAPaymentThatCameBeforeItsOrderOnceTheOrderExistsAndAppliesItOnce() {
        UUID orderId = UUID.randomUUID();
        PaymentAuthorized authorized = new PaymentAuthorized(
                UUID.randomUUID(), Instant.now(), orderId, UUID.randomUUID(), "frank", new BigDecimal("25.00"), "EUR");
        kafka.send(codec.record(authorized));

        JsonNode letter = awaitDeadLetter(orderId);
        assertThat(letter.get("reason").asString()).isEqualTo("no order " + orderId);
        assertThat(letter.get("eventType").asString()).isEqualTo("PaymentAuthorized");
        assertThat(letter.get("sourceTopic").asString()).isEqualTo(Topics.PAYMENT_EVENTS);
        long id = letter.get("id").asLong();

        ResponseEntity<JsonNode> tooEarly = admin(HttpMethod.POST, "/api/admin/dead-letters/{id}/replay", id);
        assertThat(tooEarly.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(tooEarly.getBody().get("replayCount").asInt()).isEqualTo(1);

        insertPendingOrder(orderId, "frank");
        ResponseEntity<JsonNode> replayed = admin(HttpMethod.POST, "/api/admin/dead-letters/{id}/replay", id);

        assertThat(replayed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(replayed.getBody().get("status").asString()).isEqualTo("REPLAYED");
        assertThat(replayed.getBody().get("replayCount").asInt()).isEqualTo(2);
        assertThat(order(orderId).get("status").asString()).isEqualTo("CONFIRMED");

        ResponseEntity<JsonNode> again = admin(HttpMethod.POST, "/api/admin/dead-letters/{id}/replay", id);

        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(again.getBody().get("status").asString()).isEqualTo("REPLAYED");
        eventually().until(() -> outboxRows() == 0);
        assertThat(kafka.readAll(Topics.ORDER_EVENTS, orderId.toString()))
                .extracting(record -> header(record, EventCodec.TYPE_HEADER))
                .containsExactly("OrderConfirmed");
        assertThat(jdbc.sql("SELECT count(*) FROM processed_event WHERE event_id = ?")
                        .param(authorized.eventId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void thePublicApiNeedsNeitherCredentialsNorCsrfTokenAndTheAdminApiNeedsCredentials() {
        ResponseEntity<JsonNode> placed = OrderPlacements.place(http, """
                {"customerId": "gina", "currency": "EUR",
                 "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": 9.99}]}""");
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(status(
                        HttpMethod.GET,
                        "/api/orders/" + placed.getBody().get("orderId").asString()))
                .isEqualTo(HttpStatus.OK);
        assertThat(status(HttpMethod.GET, "/api/orders?customerId=gina")).isEqualTo(HttpStatus.OK);

        ResponseEntity<Void> preflight = http.options()
                .uri("/api/orders")
                .header(HttpHeaders.ORIGIN, "http://localhost:8082")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "Content-Type")
                .retrieve()
                .toBodilessEntity();
        assertThat(preflight.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(preflight.getHeaders().getAccessControlAllowOrigin()).isEqualTo("http://localhost:8082");

        assertThat(status(HttpMethod.GET, "/api/admin/dead-letters")).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(admin(HttpMethod.GET, "/api/admin/dead-letters", null).getStatusCode())
                .isEqualTo(HttpStatus.OK);

        assertThat(status(HttpMethod.GET, "/actuator/health")).isEqualTo(HttpStatus.OK);
        String scrape = http.get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(scrape).contains("dead_letters_pending");
        for (String hidden : new String[] {"/actuator/env", "/actuator/beans", "/actuator/configprops"}) {
            assertThat(status(HttpMethod.GET, hidden).is4xxClientError())
                    .as(hidden)
                    .isTrue();
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** An order as placing it stores it, with the id the payment named: the order came late. */
    private void insertPendingOrder(UUID orderId, String customer) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                INSERT INTO orders (id, customer_id, currency, items, total, status, reason, created_at, updated_at,
                                    version)
                VALUES (?, ?, 'EUR', '[{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}]', 25.00, 'PENDING', NULL,
                        ?, ?, 0)""").params(orderId, customer, now, now).update();
    }

    private JsonNode awaitDeadLetter(UUID key) {
        return eventually()
                .until(
                        () -> StreamSupport.stream(
                                        admin(HttpMethod.GET, "/api/admin/dead-letters?size=100", null)
                                                .getBody()
                                                .get("content")
                                                .spliterator(),
                                        false)
                                .filter(letter ->
                                        key.toString().equals(letter.get("key").asString()))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    private ResponseEntity<JsonNode> admin(HttpMethod method, String path, Object id) {
        return http.method(method)
                .uri(path, id == null ? new Object[0] : new Object[] {id})
                .headers(headers -> headers.setBasicAuth("admin", "secret"))
                .retrieve()
                .toEntity(JsonNode.class);
    }

    private HttpStatusCode status(HttpMethod method, String path) {
        return http.method(method).uri(path).retrieve().toBodilessEntity().getStatusCode();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
    }
}

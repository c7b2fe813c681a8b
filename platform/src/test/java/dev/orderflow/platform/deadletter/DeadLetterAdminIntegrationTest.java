package dev.orderflow.platform.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * Dead letters of a consuming service over its admin API, against real Kafka and PostgreSQL: read back
 * from the dead-letter topic, listed, shown, replayed into the service, discarded.
 */
@SpringBootTest(classes = DeadLetterTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("dead-letters")
@RealInfrastructure
class DeadLetterAdminIntegrationTest extends PaymentEventsFixture {

    @LocalServerPort
    int port;

    @Autowired
    DeadLetterStore store;

    RestClient admin;

    @BeforeEach
    void clients() {
        admin = RestClient.builder()
                .baseUrl("http://localhost:" + port + "/api/admin/dead-letters")
                .defaultHeaders(headers -> headers.setBasicAuth("admin", "secret"))
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }

    @Test
    void listsAFailedRecordNewestFirstWithItsOriginTypeAndReason() {
        PaymentAuthorized first = authorized(UUID.randomUUID());
        handler.block(first.orderId());
        RecordMetadata sent = kafka.send(codec.record(first));
        JsonNode letter = awaitDeadLetter(first.orderId());

        assertThat(letter.get("sourceTopic").asString()).isEqualTo(Topics.PAYMENT_EVENTS);
        assertThat(letter.get("partition").asInt()).isEqualTo(sent.partition());
        assertThat(letter.get("offset").asLong()).isEqualTo(sent.offset());
        assertThat(letter.get("eventType").asString()).isEqualTo("PaymentAuthorized");
        assertThat(letter.get("reason").asString()).isEqualTo("order " + first.orderId() + " is blocked");
        assertThat(letter.get("status").asString()).isEqualTo("PENDING");
        assertThat(letter.get("replayCount").asInt()).isZero();
        assertThat(Instant.parse(letter.get("firstFailedAt").asString()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(letter.has("payload")).as("no payloads in lists").isFalse();

        PaymentAuthorized second = authorized(UUID.randomUUID());
        handler.block(second.orderId());
        kafka.send(codec.record(second));
        awaitDeadLetter(second.orderId());

        List<String> keys = keys(list("?size=100"));
        assertThat(keys.indexOf(second.orderId().toString()))
                .isNotNegative()
                .isLessThan(keys.indexOf(first.orderId().toString()));
    }

    @Test
    void showsOneWithItsPayloadAsTextAndTheRecordsHeaders() {
        PaymentAuthorized event = authorized(UUID.randomUUID());
        handler.block(event.orderId());
        kafka.send(codec.record(event));
        long id = awaitDeadLetter(event.orderId()).get("id").asLong();

        JsonNode detail = get(id).getBody();

        assertThat(detail.get("id").asLong()).isEqualTo(id);
        assertThat(detail.get("key").asString()).isEqualTo(event.orderId().toString());
        assertThat(detail.get("payload").asString()).isEqualTo(new String(codec.encode(event), StandardCharsets.UTF_8));
        assertThat(detail.get("payloadTruncated").asBoolean()).isFalse();
        assertThat(detail.get("payloadBytes").asInt()).isEqualTo(codec.encode(event).length);
        assertThat(detail.get("headers").get(EventCodec.ID_HEADER).asString())
                .isEqualTo(event.eventId().toString());
        assertThat(detail.get("headers").has(DeadLetters.REASON_HEADER))
                .as("the publisher's headers are not the record's")
                .isFalse();
    }

    @Test
    void cutsTheTextOfALargePayloadAt64KiBAndReadsItsTypeFromTheJson() {
        UUID orderId = UUID.randomUUID();
        String value = """
                {"type": "PaymentTeleported", "orderId": "%s", "padding": "%s"}""".formatted(orderId, "x".repeat(200_000));
        kafka.send(new ProducerRecord<>(
                Topics.PAYMENT_EVENTS, orderId.toString(), value.getBytes(StandardCharsets.UTF_8)));
        JsonNode letter = awaitDeadLetter(orderId);

        JsonNode detail = get(letter.get("id").asLong()).getBody();

        assertThat(detail.get("eventType").asString()).isEqualTo("PaymentTeleported");
        assertThat(detail.get("reason").asString()).contains("unknown event type 'PaymentTeleported'");
        assertThat(detail.get("payloadTruncated").asBoolean()).isTrue();
        assertThat(detail.get("payloadBytes").asInt()).isEqualTo(value.length());
        assertThat(detail.get("payload").asString()).hasSize(64 * 1024).isEqualTo(value.substring(0, 64 * 1024));
    }

    @Test
    void replaysARecordWhoseCauseIsFixedIntoTheServiceOnceAndAgainWithoutASecondEffect() {
        PaymentAuthorized event = authorized(UUID.randomUUID());
        handler.block(event.orderId());
        kafka.send(codec.record(event));
        long id = awaitDeadLetter(event.orderId()).get("id").asLong();
        handler.unblock(event.orderId());

        ResponseEntity<JsonNode> replayed = replay(id);

        assertThat(replayed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(replayed.getBody().get("status").asString()).isEqualTo("REPLAYED");
        assertThat(replayed.getBody().get("replayCount").asInt()).isEqualTo(1);
        assertThat(handler.applications(event.eventId())).isEqualTo(1);

        ResponseEntity<JsonNode> again = replay(id);

        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(again.getBody().get("status").asString()).isEqualTo("REPLAYED");
        assertThat(again.getBody().get("replayCount").asInt()).isEqualTo(2);
        assertThat(handler.applications(event.eventId())).as("applied once").isEqualTo(1);
    }

    @Test
    void aReplayThatFailsAgainRaisesTheReplayCountAndLeavesItPending() {
        PaymentAuthorized event = authorized(UUID.randomUUID());
        handler.block(event.orderId());
        kafka.send(codec.record(event));
        JsonNode letter = awaitDeadLetter(event.orderId());
        long id = letter.get("id").asLong();

        ResponseEntity<JsonNode> failed = replay(id);

        assertThat(failed.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(failed.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(failed.getBody().get("reason").asString()).isEqualTo("order " + event.orderId() + " is blocked");
        assertThat(failed.getBody().get("replayCount").asInt()).isEqualTo(1);
        assertThat(failed.getBody().get("status").asString()).isEqualTo("PENDING");
        JsonNode detail = get(id).getBody();
        assertThat(detail.get("replayCount").asInt()).isEqualTo(1);
        assertThat(detail.get("status").asString()).isEqualTo("PENDING");
        assertThat(Instant.parse(detail.get("lastFailedAt").asString()))
                .isAfter(Instant.parse(letter.get("lastFailedAt").asString()));
        assertThat(handler.applications(event.eventId())).isZero();
    }

    @Test
    void discardsAPendingOneWithAReasonAndNeitherReplaysNorDiscardsItThen() {
        PaymentAuthorized event = authorized(UUID.randomUUID());
        handler.block(event.orderId());
        kafka.send(codec.record(event));
        long id = awaitDeadLetter(event.orderId()).get("id").asLong();

        ResponseEntity<JsonNode> discarded = discard(id, """
                {"reason": "order was placed again as 42"}""");

        assertThat(discarded.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(discarded.getBody().get("status").asString()).isEqualTo("DISCARDED");
        assertThat(discarded.getBody().get("discardReason").asString()).isEqualTo("order was placed again as 42");
        assertThat(keys(list("?status=DISCARDED&size=100")))
                .contains(event.orderId().toString());
        assertThat(keys(list("?status=PENDING&size=100")))
                .doesNotContain(event.orderId().toString());

        handler.unblock(event.orderId());
        assertThat(replay(id).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(discard(id, """
                        {"reason": "again"}""").getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(handler.applications(event.eventId())).isZero();
    }

    @Test
    void refusesADiscardWithoutAReasonOrWithOneOfMoreThan500Characters() {
        PaymentAuthorized event = authorized(UUID.randomUUID());
        handler.block(event.orderId());
        kafka.send(codec.record(event));
        long id = awaitDeadLetter(event.orderId()).get("id").asLong();

        for (String body : List.of("{}", """
                {"reason": ""}""", """
                {"reason": "  "}""", """
                {"reason": "%s"}""".formatted("x".repeat(501)))) {
            ResponseEntity<JsonNode> refused = discard(id, body);
            assertThat(refused.getStatusCode()).as(body).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(refused.getBody().get("errors").get(0).get("field").asString())
                    .isEqualTo("reason");
        }
        assertThat(discard(id, """
                        {"reason": "%s"}""".formatted("x".repeat(500))).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void answers404ForAnUnknownOne() {
        long unknown = Long.MAX_VALUE;

        assertThat(get(unknown).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(get(unknown).getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(replay(unknown).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(discard(unknown, """
                        {"reason": "gone"}""").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aSourceRecordDeadLetteredAgainIsTheSameOneFailedOnceMoreAndPendingAgain() {
        PaymentAuthorized event = authorized(UUID.randomUUID());
        handler.block(event.orderId());
        RecordMetadata sent = kafka.send(codec.record(event));
        long id = awaitDeadLetter(event.orderId()).get("id").asLong();
        discard(id, """
                {"reason": "not now"}""");

        // What the consumer publishes when it fails on the same record again (its offset was not committed).
        ProducerRecord<String, byte[]> again =
                new ProducerRecord<>(DEAD_LETTERS, event.orderId().toString(), codec.encode(event));
        again.headers()
                .add(KafkaHeaders.DLT_ORIGINAL_TOPIC, sent.topic().getBytes(StandardCharsets.UTF_8))
                .add(
                        KafkaHeaders.DLT_ORIGINAL_PARTITION,
                        ByteBuffer.allocate(4).putInt(sent.partition()).array())
                .add(
                        KafkaHeaders.DLT_ORIGINAL_OFFSET,
                        ByteBuffer.allocate(8).putLong(sent.offset()).array())
                .add(DeadLetters.REASON_HEADER, "still blocked".getBytes(StandardCharsets.UTF_8));
        kafka.send(again);

        JsonNode letter = eventually()
                .until(() -> get(id).getBody(), d -> d.get("replayCount").asInt() == 1);
        assertThat(letter.get("status").asString()).isEqualTo("PENDING");
        assertThat(letter.get("reason").asString()).isEqualTo("still blocked");
        assertThat(letter.get("discardReason").isNull()).isTrue();
        assertThat(keys(list("?size=100"))).containsOnlyOnce(event.orderId().toString());
    }

    @Test
    void readsTheSameDeadLetterRecordTwiceAsOne() {
        UUID orderId = UUID.randomUUID();
        DeadLetterStore.Arrival arrival = new DeadLetterStore.Arrival(
                Topics.PAYMENT_EVENTS,
                0,
                Long.MAX_VALUE - 1,
                orderId.toString(),
                null,
                "test",
                null,
                List.of(),
                Instant.now(),
                3,
                17);

        assertThat(store.record(arrival)).isTrue();
        assertThat(store.record(arrival)).isFalse();

        JsonNode letter = awaitDeadLetter(orderId);
        assertThat(letter.get("replayCount").asInt()).isZero();
        assertThat(letter.get("eventType").isNull()).isTrue();
    }

    @Test
    void countsThePendingOnesInAGaugeThatPrometheusScrapesWithoutCredentials() {
        PaymentAuthorized event = authorized(UUID.randomUUID());
        handler.block(event.orderId());
        kafka.send(codec.record(event));
        awaitDeadLetter(event.orderId());
        RestClient anonymous = RestClient.create("http://localhost:" + port);

        long pending = list("?status=PENDING").get("page").get("totalElements").asLong();
        String scrape = anonymous.get().uri("/actuator/prometheus").retrieve().body(String.class);

        assertThat(pending).isPositive();
        assertThat(scrape)
                .containsPattern("(?m)^dead_letters_pending\\{application=\"platform-test\"} " + pending + "\\.0$");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private JsonNode awaitDeadLetter(UUID key) {
        return eventually()
                .until(
                        () -> StreamSupport.stream(
                                        list("?size=100").get("content").spliterator(), false)
                                .filter(letter ->
                                        key.toString().equals(letter.get("key").asString()))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private JsonNode list(String query) {
        ResponseEntity<JsonNode> page = admin.get().uri(query).retrieve().toEntity(JsonNode.class);
        assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
        return page.getBody();
    }

    private static List<String> keys(JsonNode page) {
        return StreamSupport.stream(page.get("content").spliterator(), false)
                .map(letter -> letter.get("key").asString())
                .toList();
    }

    private ResponseEntity<JsonNode> get(long id) {
        return admin.get().uri("/{id}", id).retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> replay(long id) {
        return admin.post().uri("/{id}/replay", id).retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> discard(long id, String body) {
        return admin.post()
                .uri("/{id}/discard", id)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .toEntity(JsonNode.class);
    }

    private static PaymentAuthorized authorized(UUID orderId) {
        return new PaymentAuthorized(
                UUID.randomUUID(), Instant.now(), orderId, UUID.randomUUID(), "alice", new BigDecimal("25.00"), "EUR");
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
    }
}

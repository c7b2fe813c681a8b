package dev.orderflow.systemtests.faults;

import static dev.orderflow.systemtests.faults.FaultSuite.NOTIFICATION_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.ORDER_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.PAYMENT_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.Topics;
import dev.orderflow.launcher.ServiceInstance;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.systemtests.Http;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Faults injected while orders flow through the three service jars, each in its own JVM, on real Kafka and
 * PostgreSQL; after every scenario the guarantees of {@link Invariants} must hold for every order placed so
 * far. The scenarios build on each other's data, so they run in order; each leaves the suite running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {

    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final String REDELIVERED = "orderflow_events_redelivered_total";

    static FaultSuite suite;
    static Invariants invariants;
    static final Set<UUID> accepted = ConcurrentHashMap.newKeySet();
    /** Poison records sent so far, per consuming service. */
    static final Map<String, Integer> poison = new ConcurrentHashMap<>();

    @BeforeAll
    static void startTheSuite() {
        suite = new FaultSuite();
        invariants = new Invariants(suite);
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    @AfterEach
    void healAndRestartWhatAScenarioLeftDown() {
        suite.kafkaProxy.restore();
        FaultSuite.SERVICES.forEach(s -> suite.databaseProxy(s).restore());
        suite.startAll();
    }

    @Test
    @Order(1)
    void ordersPlacedWhileKafkaIsUnreachableAreAcceptedAndCompletedWhenItReturns() {
        // First some orders while Kafka is there: the relay has published (and created its topics) before.
        try (OrderLoad load = load()) {
            load.place(10, 20).awaitAnswered();
            accepted.addAll(load.accepted());
        }
        await().atMost(SETTLE).until(() -> invariants.count(ORDER_SERVICE, "SELECT count(*) FROM outbox") == 0);
        suite.kafkaProxy.cut();
        try (OrderLoad load = load()) {
            load.place(40, 20).awaitAnswered();
            accepted.addAll(load.accepted());

            assertThat(load.accepted()).hasSize(40);
            assertThat(load.retried())
                    .as("requests the API did not answer at once")
                    .isZero();
            // Nothing could be published: every order waits in the outbox, none has gone further.
            assertThat(invariants.count(ORDER_SERVICE, "SELECT count(*) FROM outbox WHERE event_type = 'OrderPlaced'"))
                    .isEqualTo(40);
            String placed = load.accepted().stream().map(UUID::toString).collect(Collectors.joining(","));
            assertThat(invariants.count(
                            ORDER_SERVICE,
                            "SELECT count(*) FROM orders WHERE status IN ('CONFIRMED', 'REJECTED')" + " AND id = ANY('{"
                                    + placed + "}'::uuid[])"))
                    .isZero();
        }
        // Longer than the producer's delivery timeout (25 s): the producer's own buffer has given the events up,
        // only the outbox still has them.
        Waits.pause(Duration.ofSeconds(30));
        suite.kafkaProxy.restore();

        assertInvariants();
    }

    @Test
    @Order(2)
    void aServiceKilledBetweenItsDatabaseCommitAndItsOffsetCommitChangesNothingWhenTheRecordsComeAgain()
            throws Exception {
        long uncommitted = 0;
        for (int attempt = 1; attempt <= 3 && uncommitted == 0; attempt++) {
            try (OrderLoad load = load()) {
                long before = processed(PAYMENT_SERVICE);
                Thread placing = load.placeInBackground(120, 40);
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> processed(PAYMENT_SERVICE) >= before + 20);
                killWhileApplying(PAYMENT_SERVICE, () -> {
                    suite.kill(PAYMENT_SERVICE);
                    suite.kill(NOTIFICATION_SERVICE);
                });
                // Effects committed to the database whose records Kafka will deliver again.
                uncommitted = appliedButUncommitted(PAYMENT_SERVICE, null);
                suite.startAll();
                join(placing);
                load.awaitAnswered();
                accepted.addAll(load.accepted());
                assertThat(load.givenUp()).isZero();
                assertThat(load.unexpectedAnswers()).isEmpty();
            }
        }
        assertThat(uncommitted)
                .as("events applied but not committed when the service was killed")
                .isPositive();

        assertInvariants();
        assertThat(suite.counter(PAYMENT_SERVICE, REDELIVERED))
                .as("redelivered events recognised by the restarted payment-service")
                .isGreaterThanOrEqualTo(uncommitted);
    }

    @Test
    @Order(3)
    void aServiceKilledBeforeItsOutboxIsPublishedPublishesItAfterItsRestart() {
        suite.kafkaProxy.cut();
        try (OrderLoad load = load()) {
            load.place(30, 30).awaitAnswered();
            accepted.addAll(load.accepted());
        }
        // Committed orders whose events are not yet published.
        assertThat(invariants.count(ORDER_SERVICE, "SELECT count(*) FROM outbox"))
                .isGreaterThanOrEqualTo(30);
        suite.kill(ORDER_SERVICE);
        suite.kafkaProxy.restore();
        suite.startAll();

        assertInvariants();
    }

    @Test
    @Order(4)
    void aConsumingServiceWhoseDatabaseIsAwayRetriesWithoutDeadLettersAndResumesByItself() {
        try (OrderLoad load = load()) {
            Thread placing = load.placeInBackground(100, 20);
            Waits.pause(Duration.ofSeconds(1));
            suite.databaseProxy(PAYMENT_SERVICE).cut();
            // Longer than the bounded retries of an unexpected failure would last (2 s connection timeouts
            // and back-off): were the outage not recognised as one, a record would be dead-lettered.
            Waits.pause(Duration.ofSeconds(20));
            // Orders wait for their payment while the database is away.
            assertThat(invariants.count(ORDER_SERVICE, "SELECT count(*) FROM orders WHERE status = 'PENDING'"))
                    .isPositive();
            suite.databaseProxy(PAYMENT_SERVICE).restore();
            join(placing);
            load.awaitAnswered();
            accepted.addAll(load.accepted());
        }
        // The same process resumed by itself: nothing restarted it.
        assertThat(suite.service(PAYMENT_SERVICE).isAlive()).isTrue();

        assertInvariants(); // includes: no dead letter beyond the poison sent (none yet)
    }

    @Test
    @Order(5)
    void theSameEventsDeliveredTwiceAndAConsumerGroupResetToTheStartChangeNothing() {
        try (OrderLoad load = load()) {
            load.place(60, 30).awaitAnswered();
            accepted.addAll(load.accepted());
        }
        assertInvariants();
        List<String> before = invariants.effects();

        suite.resendAll(Topics.ORDER_EVENTS);
        suite.resendAll(Topics.PAYMENT_EVENTS);
        // the order events that payment-service applies (it passes over the outcomes of its own decisions)
        long applicable = suite.kafkaClient.readAll(Topics.ORDER_EVENTS).stream()
                .map(record -> KafkaTestClient.header(record, EventCodec.TYPE_HEADER))
                .filter(type -> type.equals("OrderPlaced") || type.equals("OrderCancelled"))
                .count();
        awaitSettled();
        assertThat(invariants.effects()).isEqualTo(before);

        FaultSuite.SERVICES.forEach(suite::stop);
        suite.resetConsumerGroupsToStart();
        suite.startAll();
        awaitSettled();

        assertThat(invariants.effects()).isEqualTo(before);
        // The restarted payment-service read the whole topic again, copies included, and skipped all of it.
        assertThat(suite.counter(PAYMENT_SERVICE, REDELIVERED)).isGreaterThanOrEqualTo(applicable);
        assertInvariants();
    }

    @Test
    @Order(6)
    void poisonInEveryConsumedTopicIsDeadLetteredWithItsReasonAndTheFixableRecordReplaysOnce() throws Exception {
        List<ProducerRecord<String, byte[]>> orderPoison = Poison.onEveryPartition(Topics.ORDER_EVENTS, 6);
        List<ProducerRecord<String, byte[]>> paymentPoison = Poison.onEveryPartition(Topics.PAYMENT_EVENTS, 6);
        suite.kafkaClient.sendAll(orderPoison);
        suite.kafkaClient.sendAll(paymentPoison);
        poison.merge(PAYMENT_SERVICE, 6, Integer::sum);
        poison.merge(NOTIFICATION_SERVICE, 6, Integer::sum);
        poison.merge(ORDER_SERVICE, 6, Integer::sum);

        // A record that fails for a cause an operator can remove: order-service's database refuses to change
        // one customer's orders, so their payment outcome fails until the refusal is lifted.
        String customer = "held-" + UUID.randomUUID().toString().substring(0, 8);
        suite.hold(customer);
        UUID held = UUID.fromString(Http.post(suite.baseUrl(ORDER_SERVICE) + "/api/orders", """
                        {"customerId": "%s", "currency": "EUR",
                         "items": [{"sku": "HELD-1", "quantity": 1, "unitPrice": 10.00}]}""".formatted(customer))
                .body()
                .get("orderId")
                .asString());
        accepted.add(held);
        poison.merge(ORDER_SERVICE, 1, Integer::sum);

        // The partitions keep flowing behind the poison.
        try (OrderLoad load = load()) {
            load.place(60, 30).awaitAnswered();
            accepted.addAll(load.accepted());
        }
        JsonNode letter = await().atMost(SETTLE)
                .until(
                        () -> suite.deadLetters(ORDER_SERVICE).stream()
                                .filter(l -> held.toString().equals(l.get("key").asString()))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(letter.get("reason").asString()).contains("on hold");

        for (Map.Entry<String, String> consumer : Invariants.CONSUMES.entrySet()) {
            String dlt = Topics.deadLetter(consumer.getValue(), consumer.getKey());
            List<ConsumerRecord<String, byte[]>> dead =
                    await().atMost(SETTLE).until(() -> suite.kafkaClient.readAll(dlt), d -> d.size() >= 6);
            for (ConsumerRecord<String, byte[]> record : dead) {
                if (!held.toString().equals(record.key())) {
                    assertThat(KafkaTestClient.header(record, "dlt-reason"))
                            .as(dlt + " " + record.key())
                            .contains(Poison.ofValue(record.value()).reason);
                }
            }
        }

        // Replaying a record that can never succeed fails again and changes nothing.
        JsonNode unfixable = suite.deadLetters(PAYMENT_SERVICE).getFirst();
        Http.Response again = suite.replay(PAYMENT_SERVICE, unfixable.get("id").asLong());
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.body().get("replayCount").asInt()).isEqualTo(1);

        // Lift the hold: the replay applies the payment outcome, once.
        suite.release();
        Http.Response replayed = suite.replay(ORDER_SERVICE, letter.get("id").asLong());
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body().get("status").asString()).isEqualTo("REPLAYED");
        assertThat(suite.replay(ORDER_SERVICE, letter.get("id").asLong()).status())
                .isEqualTo(200);

        Invariants.Report report = assertInvariants();
        assertThat(report.replayed()).isEqualTo(1);
        assertThat(invariants.list(ORDER_SERVICE, "SELECT status FROM orders WHERE id = '" + held + "'"))
                .containsExactly("CONFIRMED");
    }

    @Test
    @Order(7)
    void aSecondInstanceJoiningAndLeavingMidFlowNeitherDoublesNorSkipsAnything() throws Exception {
        double redeliveredBefore = suite.counter(PAYMENT_SERVICE, REDELIVERED);
        long uncommitted = 0;
        try (OrderLoad load = load()) {
            Thread placing = load.placeInBackground(10_000, 20);
            ServiceInstance notifications = suite.startAnotherInstance(NOTIFICATION_SERVICE);
            notifications.awaitHealthy(FaultSuite.START_TIMEOUT);
            await().atMost(Duration.ofSeconds(60)).until(() -> suite.assignedMembers(NOTIFICATION_SERVICE) == 2);
            // The second payment-service instance leaves as a crash while it has applied records whose
            // offsets it had not committed; those records must come again to the one that stays. Whether the
            // crash caught it in that state shows in the message log and the committed offsets: another
            // instance joins and crashes until it does, three times at most.
            for (int attempt = 1; attempt <= 3 && uncommitted == 0; attempt++) {
                ServiceInstance payments = suite.startAnotherInstance(PAYMENT_SERVICE);
                payments.awaitHealthy(FaultSuite.START_TIMEOUT);
                await().atMost(Duration.ofSeconds(60)).until(() -> suite.assignedMembers(PAYMENT_SERVICE) == 2);
                Set<TopicPartition> itsPartitions = suite.partitionsOf(payments);
                killWhileApplying(PAYMENT_SERVICE, payments::kill);
                uncommitted = appliedButUncommitted(PAYMENT_SERVICE, itsPartitions);
                await().atMost(Duration.ofSeconds(60)).until(() -> suite.assignedMembers(PAYMENT_SERVICE) == 1);
                Waits.pause(Duration.ofSeconds(5));
            }
            // The other one leaves as an operator stops it.
            notifications.stop();
            Waits.pause(Duration.ofSeconds(3));
            load.stopPlacing();
            join(placing);
            load.awaitAnswered();
            accepted.addAll(load.accepted());
        }

        assertThat(uncommitted)
                .as("events applied but not committed when the second instance crashed")
                .isPositive();
        assertInvariants();
        // The crashed instance's applied but uncommitted records came again to the one that stayed (or to the
        // next one that joined), which recognised them.
        assertThat(suite.counter(PAYMENT_SERVICE, REDELIVERED) - redeliveredBefore)
                .isGreaterThanOrEqualTo(uncommitted);
    }

    /**
     * Kills the service while it applies records: Kafka is slowed (its offset commits with it), and once the
     * service has applied a few more events, Kafka is cut so that an offset commit in flight dies with it. The
     * service commits its offsets once a second, so it has then almost always applied records whose offsets it
     * has not committed; {@link #appliedButUncommitted} says exactly how many.
     */
    private static void killWhileApplying(String service, Runnable kill) {
        suite.kafkaProxy.delay(Duration.ofMillis(300));
        try {
            long before = processed(service);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> processed(service) >= before + 5);
            suite.kafkaProxy.cut();
            kill.run();
        } finally {
            suite.kafkaProxy.restore();
            suite.kafkaProxy.delay(Duration.ZERO);
        }
    }

    /**
     * Events of order-events that the service applied but whose offsets its consumer group has not committed: the
     * records after each partition's committed offset whose event ids the service's message log holds, on the
     * given partitions (all when null). Kafka delivers them again, and the service must recognise each as a
     * redelivery.
     */
    private static long appliedButUncommitted(String service, Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (var admin = suite.admin()) {
            committed = admin.listConsumerGroupOffsets(service)
                    .partitionsToOffsetAndMetadata()
                    .get();
        }
        List<String> ids = suite.kafkaClient.readAll(Topics.ORDER_EVENTS).stream()
                .filter(record -> {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    OffsetAndMetadata offset = committed.get(partition);
                    return (partitions == null || partitions.contains(partition))
                            && (offset == null || record.offset() >= offset.offset());
                })
                .map(record -> KafkaTestClient.header(record, EventCodec.ID_HEADER))
                .toList();
        return ids.isEmpty()
                ? 0
                : invariants.count(
                        service,
                        "SELECT count(*) FROM processed_event WHERE event_id::text IN ('" + String.join("','", ids)
                                + "')");
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static OrderLoad load() {
        return new OrderLoad(suite.baseUrl(ORDER_SERVICE), 25);
    }

    private static Invariants.Report assertInvariants() {
        return invariants.assertHeld(accepted, poison, SETTLE);
    }

    private static void awaitSettled() {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).until(() -> invariants.settled(poison));
    }

    private static long processed(String service) {
        return invariants.count(service, "SELECT count(*) FROM processed_event");
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofMinutes(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.orderflow.systemtests.faults;

import static dev.orderflow.systemtests.faults.FaultSuite.NOTIFICATION_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.ORDER_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.PAYMENT_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.Topics;
import dev.orderflow.systemtests.Http;
import dev.orderflow.testsupport.EventStreamClient;
import dev.orderflow.testsupport.SseParser;
import dev.orderflow.testsupport.Waits;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The suite on a Kafka cluster of three brokers (each a controller too; topics with three replicas and
 * min.insync.replicas 2) with two instances of every service, and faults of a cluster: the broker that leads the
 * most partitions killed under load, two brokers down at once, a service instance killed while the other takes over
 * its partitions. After each, the guarantees of {@link Invariants} hold for every order placed so far.
 *
 * <p>Not part of {@code ./mvnw verify} (it takes longer than the rest of the build's system tests together): run it
 * with {@code ./mvnw -Pcluster verify}.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultTest {

    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final List<String> TOPICS = List.of(Topics.ORDER_EVENTS, Topics.PAYMENT_EVENTS);
    private static final String REDELIVERED = "orderflow_events_redelivered_total";
    private static final int RATE = 20;

    static FaultSuite suite;
    static Invariants invariants;
    static final Set<UUID> accepted = ConcurrentHashMap.newKeySet();
    /** No poison in this suite: every dead-letter topic stays empty. */
    static final Map<String, Integer> poison = Map.of();

    @BeforeAll
    static void startTheCluster() {
        suite = new FaultSuite(FaultSuite.Layout.cluster());
        invariants = new Invariants(suite);
        awaitFullyReplicated();
    }

    @AfterAll
    static void stopTheCluster() {
        if (suite != null) {
            suite.close();
        }
    }

    @AfterEach
    void restartWhatAScenarioTookDown() throws Exception {
        suite.cluster.start();
        suite.cluster.awaitReady(Duration.ofMinutes(2));
        suite.startAll();
        awaitFullyReplicated();
    }

    @Test
    @Order(1)
    void anOrderPlacedOnAnyOrderServiceInstanceIsConfirmedAndArrivesOnTheStreamOfEveryNotificationServiceInstance() {
        String customer = "c-" + UUID.randomUUID().toString().substring(0, 8);
        try (EventStreamClient client = new EventStreamClient()) {
            // From sequence 0 on: what the stream stored before it was registered comes first, then the live ones.
            List<EventStreamClient.Stream> streams = suite.baseUrls(NOTIFICATION_SERVICE).stream()
                    .map(url -> client.open(
                            URI.create(url + "/api/notifications/stream?customerId=" + customer), "Last-Event-ID", "0"))
                    .toList();
            List<String> orderServices = suite.baseUrls(ORDER_SERVICE);
            List<String> orders = new ArrayList<>();
            for (String orderService : orderServices) {
                Http.Response placed = Http.post(orderService + "/api/orders", """
                        {"customerId": "%s", "currency": "EUR",
                         "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": 10.00}]}""".formatted(customer));
                assertThat(placed.status()).isEqualTo(202);
                orders.add(placed.body().get("orderId").asString());
            }
            orders.forEach(id -> accepted.add(UUID.fromString(id)));

            // Each order is read as confirmed on the other instance than the one that took it.
            for (int i = 0; i < orders.size(); i++) {
                String other = orderServices.get((i + 1) % orderServices.size());
                String url = other + "/api/orders/" + orders.get(i);
                Waits.eventually()
                        .until(() -> Http.get(url).body().get("status").asString(), "CONFIRMED"::equals);
            }
            for (EventStreamClient.Stream stream : streams) {
                Waits.eventually().until(() -> notified(stream).size() >= 2 * orders.size());
                assertThat(notified(stream))
                        .containsExactlyInAnyOrderElementsOf(orders.stream()
                                .flatMap(id -> List.of(id + " ORDER_PLACED", id + " ORDER_CONFIRMED").stream())
                                .toList());
            }
            streams.forEach(EventStreamClient.Stream::close);
        }
    }

    @Test
    @Order(2)
    void killingTheBrokerThatLeadsTheMostPartitionsLosesNoAcknowledgedOrderAndDoublesNone() throws Exception {
        Instant start = Instant.now();
        Instant killed;
        int leader;
        Map<UUID, Instant> sent;
        try (OrderLoad load = new OrderLoad(suite.baseUrls(ORDER_SERVICE), 50)) {
            Thread placing = load.placeInBackground(RATE * 45, RATE);
            await().atMost(Duration.ofMinutes(1)).until(() -> load.accepted().size() >= RATE * 10);
            leader = leaderOfTheMostPartitions();
            killed = Instant.now();
            suite.cluster.kill(leader);
            System.out.printf("cluster: killed broker %d (SIGKILL), the leader of the most partitions%n", leader);
            join(placing);
            load.awaitAnswered();
            accepted.addAll(load.accepted());
            sent = load.firstSent();
            assertThat(load.givenUp()).isZero();
            assertThat(load.unexpectedAnswers()).isEmpty();
        }

        // Checked with the broker still down: the two others hold every acknowledged event.
        assertInvariants();
        assertThat(suite.cluster.isRunning(leader)).isFalse();

        Map<UUID, Instant> outcomes = invariants.outcomesNotified();
        Latency before = Latency.of(sent, outcomes, start, killed);
        Latency failover = Latency.of(sent, outcomes, killed, killed.plus(Duration.ofSeconds(20)));
        System.out.printf("""

                ==== Cluster: POST -> outcome notification stored, %d orders/s over two order-service instances ====
                before the kill                      %s
                first 20 s after broker %d was killed %s
                """, RATE, before, leader, failover);
        assertThat(failover.orders()).isPositive();
    }

    /**
     * Every node here is a controller too: with two of three down the controller quorum is lost as well, so nothing
     * fences the dead brokers or shrinks an ISR, and a write is not refused with {@code NOT_ENOUGH_REPLICAS} but left
     * unacknowledged until the producer's delivery timeout. Either way nothing is acknowledged on one broker alone,
     * and the outbox keeps every order until a second node is back. (With controllers of their own, as in the
     * production overlay, the producers get {@code NOT_ENOUGH_REPLICAS} instead; not tried here.)
     */
    @Test
    @Order(3)
    void withTwoBrokersDownOrdersAreAcceptedAndWaitInTheOutboxUntilOneReturns() throws Exception {
        suite.cluster.kill(2);
        suite.cluster.kill(3);

        List<UUID> placed;
        try (OrderLoad load = new OrderLoad(suite.baseUrls(ORDER_SERVICE), 10)) {
            load.place(30, 10).awaitAnswered();
            placed = List.copyOf(load.accepted());
            accepted.addAll(placed);
            assertThat(placed).hasSize(30);
            assertThat(load.retried())
                    .as("requests the API did not answer at once")
                    .isZero();
        }
        // Longer than the relay's producer waits for an acknowledgement (25 s): had Kafka taken an event on the
        // one broker left, it would have left the outbox by now.
        Waits.pause(Duration.ofSeconds(30));
        String ids = placed.stream().map(UUID::toString).collect(Collectors.joining(","));
        assertThat(invariants.count(
                        ORDER_SERVICE,
                        "SELECT count(*) FROM outbox WHERE event_type = 'OrderPlaced' AND record_key = ANY('{" + ids
                                + "}'::text[])"))
                .as("placements waiting in the outbox")
                .isEqualTo(placed.size());
        assertThat(invariants.count(
                        ORDER_SERVICE,
                        "SELECT count(*) FROM orders WHERE status IN ('CONFIRMED', 'REJECTED') AND id = ANY('{" + ids
                                + "}'::uuid[])"))
                .isZero();

        suite.cluster.start(2);
        suite.cluster.awaitReady(Duration.ofMinutes(2));
        // Two brokers in sync again: everything drains.
        assertInvariants();
    }

    @Test
    @Order(4)
    void aServiceInstanceKilledWhileTheOtherServesItsPartitionsLosesAndDoublesNothing() {
        await().atMost(Duration.ofMinutes(1))
                .until(() -> suite.assignedMembers(PAYMENT_SERVICE) == 2
                        && suite.assignedMembers(NOTIFICATION_SERVICE) == 2);
        double redeliveredBefore = suite.counter(PAYMENT_SERVICE, REDELIVERED);
        Set<TopicPartition> all = IntStream.range(0, 6)
                .mapToObj(p -> new TopicPartition(Topics.ORDER_EVENTS, p))
                .collect(Collectors.toSet());
        Set<TopicPartition> taken;
        try (OrderLoad load = new OrderLoad(suite.baseUrls(ORDER_SERVICE), 50)) {
            Thread placing = load.placeInBackground(RATE * 30, RATE);
            await().atMost(Duration.ofMinutes(1)).until(() -> load.accepted().size() >= RATE * 8);
            taken = suite.partitionsOf(suite.service(PAYMENT_SERVICE, 1));
            suite.kill(PAYMENT_SERVICE, 1);
            suite.kill(NOTIFICATION_SERVICE, 1);
            // The instances that stay take over the partitions of those killed.
            await().atMost(Duration.ofMinutes(1))
                    .until(() ->
                            suite.partitionsOf(suite.service(PAYMENT_SERVICE)).containsAll(all)
                                    && suite.partitionsOf(suite.service(NOTIFICATION_SERVICE))
                                            .containsAll(all));
            join(placing);
            load.awaitAnswered();
            accepted.addAll(load.accepted());
            assertThat(load.givenUp()).isZero();
            assertThat(load.unexpectedAnswers()).isEmpty();
        }

        assertInvariants();
        System.out.printf(
                "cluster: payment-service-1 had %s when killed; payment-service recognised %.0f redelivered events%n",
                taken, suite.counter(PAYMENT_SERVICE, REDELIVERED) - redeliveredBefore);
        assertThat(taken).isNotEmpty();
    }

    // --- helpers -----------------------------------------------------------------------------------------

    /** The broker that leads the most partitions of the suite's topics. */
    private static int leaderOfTheMostPartitions() throws Exception {
        try (Admin admin = suite.admin()) {
            Map<Integer, Long> led = admin.describeTopics(TOPICS).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
            System.out.println("cluster: partitions led per broker " + led);
            return led.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
        }
    }

    /** Waits until every partition of the suite's topics and of the consumer offsets has all its replicas in sync. */
    private static void awaitFullyReplicated() {
        List<String> topics = new ArrayList<>(TOPICS);
        topics.add("__consumer_offsets");
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try (Admin admin = suite.admin()) {
                        Collection<TopicDescription> described = admin.describeTopics(topics)
                                .allTopicNames()
                                .get()
                                .values();
                        return described.stream()
                                .flatMap(topic -> topic.partitions().stream())
                                .allMatch(ClusterFaultTest::fullyReplicated);
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    private static boolean fullyReplicated(TopicPartitionInfo partition) {
        return partition.leader() != null
                && partition.replicas().size() == 3
                && partition.isr().size() == partition.replicas().size();
    }

    private static List<String> notified(EventStreamClient.Stream stream) {
        return stream.events.stream().map(ClusterFaultTest::orderAndType).toList();
    }

    private static String orderAndType(SseParser.Event event) {
        JsonNode data = Http.JSON.readTree(event.data());
        return data.get("orderId").asString() + " " + event.type();
    }

    private static Invariants.Report assertInvariants() {
        return invariants.assertHeld(accepted, poison, SETTLE);
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofMinutes(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Percentiles of POST → outcome of the orders first sent in a window. */
    record Latency(int orders, long p50, long p99, long max) {

        static Latency of(Map<UUID, Instant> sent, Map<UUID, Instant> outcomes, Instant from, Instant to) {
            long[] millis = sent.entrySet().stream()
                    .filter(order ->
                            !order.getValue().isBefore(from) && order.getValue().isBefore(to))
                    .filter(order -> outcomes.containsKey(order.getKey()))
                    .mapToLong(order -> Duration.between(order.getValue(), outcomes.get(order.getKey()))
                            .toMillis())
                    .sorted()
                    .toArray();
            if (millis.length == 0) {
                return new Latency(0, 0, 0, 0);
            }
            return new Latency(millis.length, at(millis, 0.50), at(millis, 0.99), millis[millis.length - 1]);
        }

        private static long at(long[] sorted, double quantile) {
            return sorted[(int) Math.ceil(quantile * sorted.length) - 1];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%4d orders: p50 %5d ms, p99 %5d ms, max %5d ms", orders, p50, p99, max);
        }
    }
}

package dev.orderflow.systemtests.faults;

import static dev.orderflow.systemtests.faults.FaultSuite.NOTIFICATION_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.ORDER_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.PAYMENT_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.events.Topics;
import dev.orderflow.launcher.ServiceInstance;
import dev.orderflow.systemtests.Http;
import dev.orderflow.testsupport.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The soak: many orders (10,000 by default) placed at a steady rate while faults are injected at random
 * moments — Kafka cut, a service's database cut, a service killed or stopped and started again, a second
 * instance joining and leaving, events delivered twice, poison records — then the guarantees checked once
 * everything has settled, and the counts printed.
 *
 * <p>Not part of {@code ./mvnw verify}: run it with {@code ./mvnw -Psoak verify} (options
 * {@code -Dsoak.orders=}, {@code -Dsoak.rate=} orders per second, {@code -Dsoak.seed=}).
 */
@Tag("soak")
class FaultSoakTest {

    private static final List<String> CONSUMERS = List.of(ORDER_SERVICE, PAYMENT_SERVICE, NOTIFICATION_SERVICE);

    @Test
    void tenThousandOrdersWithFaultsAtRandomMomentsLoseAndDoubleNothing() {
        int orders = Integer.getInteger("soak.orders", 10_000);
        double rate = Double.parseDouble(System.getProperty("soak.rate", "40"));
        long seed = Long.getLong("soak.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        Map<String, Integer> poison = new ConcurrentHashMap<>();
        Instant start = Instant.now();
        int faults = 0;
        StringBuilder log = new StringBuilder();
        Deque<Integer> deck = new ArrayDeque<>();

        try (FaultSuite suite = new FaultSuite();
                OrderLoad load = new OrderLoad(suite.baseUrl(ORDER_SERVICE), Math.max(50, orders / 20))) {
            Invariants invariants = new Invariants(suite);
            // A few orders whose payment outcome fails until an operator lifts a hold, then replays them.
            Set<UUID> accepted = ConcurrentHashMap.newKeySet();
            String held = "held-" + seed;
            suite.hold(held);
            for (int i = 0; i < 3; i++) {
                accepted.add(
                        UUID.fromString(Http.post(suite.baseUrl(ORDER_SERVICE) + "/api/orders", """
                                {"customerId": "%s", "currency": "EUR",
                                 "items": [{"sku": "HELD-%d", "quantity": 1, "unitPrice": 10.00}]}""".formatted(held, i))
                                .body()
                                .get("orderId")
                                .asString()));
            }
            poison.merge(ORDER_SERVICE, 3, Integer::sum);
            Thread placing = load.placeInBackground(orders, rate);
            while (placing.isAlive()) {
                Waits.pause(Duration.ofMillis(5_000 + random.nextInt(10_000)));
                if (!placing.isAlive()) {
                    break;
                }
                String fault = inject(suite, random, poison, deck);
                faults++;
                log.append(String.format("%6.1f s  %s%n", seconds(start), fault));
                System.out.printf("soak: %d of %d orders sent; %s%n", load.sent(), orders, fault);
            }
            load.awaitAnswered();
            suite.kafkaProxy.restore();
            CONSUMERS.forEach(s -> suite.databaseProxy(s).restore());
            suite.startAll();
            double placed = seconds(start);

            // The operator lifts the hold and replays every dead letter: the held orders' outcomes apply, once;
            // the poison fails again and changes nothing.
            Set<UUID> heldOrders = Set.copyOf(accepted);
            Awaitility.await()
                    .atMost(Duration.ofMinutes(5))
                    .until(() -> suite.deadLetters(ORDER_SERVICE).stream()
                                    .map(letter -> letter.get("key").asString())
                                    .filter(key -> heldOrders.stream()
                                            .anyMatch(id -> id.toString().equals(key)))
                                    .count()
                            == heldOrders.size());
            suite.release();
            int refused = 0;
            for (String service : CONSUMERS) {
                for (JsonNode letter : suite.deadLetters(service)) {
                    if (suite.replay(service, letter.get("id").asLong()).status() != 200) {
                        refused++;
                    }
                }
            }
            accepted.addAll(load.accepted());
            Invariants.Report report = invariants.awaitSettledAndCheck(accepted, poison, Duration.ofMinutes(10));
            System.out.printf(
                    """

                    ==== Soak: %d orders at %.0f/s, seed %d, %d faults, placed in %.0f s, settled after %.0f s ====
                    %s
                    replays refused        %d (poison: fails again, changes nothing)
                    orders never accepted  %d (the client retried %d requests with the same Idempotency-Key)
                    unexpected answers     %d %s
                    faults injected:
                    %s
                    """,
                    orders,
                    rate,
                    seed,
                    faults,
                    placed,
                    seconds(start),
                    report.summary(),
                    refused,
                    load.givenUp(),
                    load.retried(),
                    load.unexpected(),
                    load.unexpectedAnswers(),
                    log);
            assertThat(report.violations()).isEmpty();
            assertThat(load.givenUp()).isZero();
            assertThat(load.unexpectedAnswers()).isEmpty();
            assertThat(report.replayed()).isEqualTo(3);
        }
    }

    /** One fault, chosen at random; returns what it did. */
    private static String inject(FaultSuite suite, Random random, Map<String, Integer> poison, Deque<Integer> deck) {
        String service = CONSUMERS.get(random.nextInt(CONSUMERS.size()));
        Duration away = Duration.ofMillis(2_000 + random.nextInt(6_000));
        if (deck.isEmpty()) { // every kind of fault once per round, in a random order
            List<Integer> kinds = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6));
            Collections.shuffle(kinds, random);
            deck.addAll(kinds);
        }
        switch (deck.pop()) {
            case 0 -> {
                suite.kafkaProxy.cut();
                Waits.pause(away);
                suite.kafkaProxy.restore();
                return "Kafka unreachable for " + away.toMillis() + " ms";
            }
            case 1 -> {
                suite.databaseProxy(service).cut();
                Waits.pause(away);
                suite.databaseProxy(service).restore();
                return service + "'s database unreachable for " + away.toMillis() + " ms";
            }
            case 2 -> {
                suite.kill(service);
                suite.launchMissing(); // not waiting: the next fault may hit it while it starts
                return service + " killed (SIGKILL) and started again";
            }
            case 3 -> {
                suite.stop(service);
                suite.launchMissing();
                return service + " stopped (SIGTERM) and started again";
            }
            case 4 -> {
                String consumer = random.nextBoolean() ? PAYMENT_SERVICE : NOTIFICATION_SERVICE;
                ServiceInstance extra = suite.startAnotherInstance(consumer);
                extra.awaitHealthy(FaultSuite.START_TIMEOUT);
                Waits.pause(away);
                extra.stop();
                return "a second " + consumer + " joined, stayed " + away.toMillis() + " ms and left";
            }
            case 5 -> {
                String topic = random.nextBoolean() ? Topics.ORDER_EVENTS : Topics.PAYMENT_EVENTS;
                List<ConsumerRecord<String, byte[]>> all = suite.kafkaClient.readAll(topic);
                List<ProducerRecord<String, byte[]>> copies =
                        all.subList(Math.max(0, all.size() - 200), all.size()).stream()
                                .map(r -> new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()))
                                .toList();
                suite.kafkaClient.sendAll(copies);
                return copies.size() + " events of " + topic + " delivered again";
            }
            default -> {
                String topic = random.nextBoolean() ? Topics.ORDER_EVENTS : Topics.PAYMENT_EVENTS;
                suite.kafkaClient.sendAll(Poison.onEveryPartition(topic, 6));
                Invariants.CONSUMES.forEach((consumer, consumed) -> {
                    if (consumed.equals(topic)) {
                        poison.merge(consumer, 6, Integer::sum);
                    }
                });
                return "6 poison records into " + topic;
            }
        }
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }
}

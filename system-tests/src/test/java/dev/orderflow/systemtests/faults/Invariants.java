package dev.orderflow.systemtests.faults;

import static dev.orderflow.systemtests.faults.FaultSuite.NOTIFICATION_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.ORDER_SERVICE;
import static dev.orderflow.systemtests.faults.FaultSuite.PAYMENT_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.events.Topics;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.Waits;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The guarantees, checked through the services' databases and Kafka once the suite has settled: every
 * accepted order reaches a terminal state; exactly one payment per order; per customer, limit − available
 * is the sum of the authorized, unrefunded payments; exactly one notification per order and type; nothing
 * left in any outbox; every poison record in its dead-letter topic, and nothing else there.
 */
final class Invariants {

    /** Which consumer group reads which topic: each service is its own group. */
    static final Map<String, String> CONSUMES = Map.of(
            ORDER_SERVICE, Topics.PAYMENT_EVENTS,
            PAYMENT_SERVICE, Topics.ORDER_EVENTS,
            NOTIFICATION_SERVICE, Topics.ORDER_EVENTS);

    private final FaultSuite suite;

    Invariants(FaultSuite suite) {
        this.suite = suite;
    }

    /** What the check found; {@link #violations} is empty when every guarantee held. */
    record Report(
            int accepted,
            int terminal,
            int lost,
            int duplicatedEffects,
            int deadLettered,
            int replayed,
            List<String> violations) {

        String summary() {
            return """
                    orders accepted        %d
                    orders terminal        %d
                    orders lost            %d
                    duplicated effects     %d
                    dead-lettered records  %d
                    replayed dead letters  %d
                    violations             %s""".formatted(
                            accepted,
                            terminal,
                            lost,
                            duplicatedEffects,
                            deadLettered,
                            replayed,
                            violations.isEmpty() ? "none" : String.join("\n  ", violations));
        }
    }

    /**
     * {@link #awaitSettledAndCheck}, printing the report, and fails unless every accepted order reached its end once:
     * nothing lost, nothing doubled, no inconsistency.
     */
    Report assertHeld(Collection<UUID> accepted, Map<String, Integer> poison, Duration timeout) {
        Report report = awaitSettledAndCheck(accepted, poison, timeout);
        System.out.println(report.summary());
        assertThat(report.violations()).isEmpty();
        assertThat(report.lost()).isZero();
        assertThat(report.duplicatedEffects()).isZero();
        assertThat(report.terminal()).isGreaterThanOrEqualTo(accepted.size());
        return report;
    }

    /**
     * Waits until the suite has settled (no pending order, empty outboxes, every consumer group at the end
     * of its topic, the dead letters expected recorded), at most {@code timeout}, then checks.
     *
     * @param accepted the orders the API accepted
     * @param poison the poison records sent so far, per consuming service
     */
    Report awaitSettledAndCheck(Collection<UUID> accepted, Map<String, Integer> poison, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && !settled(poison)) {
            Waits.pause(Duration.ofMillis(500));
        }
        return check(accepted, poison);
    }

    boolean settled(Map<String, Integer> poison) {
        try {
            return count(ORDER_SERVICE, "SELECT count(*) FROM orders WHERE status = 'PENDING'") == 0
                    && count(ORDER_SERVICE, "SELECT count(*) FROM outbox") == 0
                    && count(PAYMENT_SERVICE, "SELECT count(*) FROM outbox") == 0
                    && lag() == 0
                    && FaultSuite.SERVICES.stream()
                            .allMatch(service -> deadLetters(service) >= poison.getOrDefault(service, 0));
        } catch (RuntimeException e) {
            return false; // a service's database or the broker is still away
        }
    }

    /** Records not yet consumed, summed over the three services' consumer groups. */
    long lag() {
        try (Admin admin = suite.admin()) {
            long lag = 0;
            for (Map.Entry<String, String> consumer : CONSUMES.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(consumer.getKey())
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < 6; p++) {
                    latest.put(new TopicPartition(consumer.getValue(), p), OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get();
                for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    lag += end.getValue().offset() - (at == null ? 0 : at.offset());
                }
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the consumer groups' lag", e);
        }
    }

    Report check(Collection<UUID> accepted, Map<String, Integer> poison) {
        List<String> violations = new ArrayList<>();
        Map<UUID, String> status = map(ORDER_SERVICE, "SELECT id, status FROM orders", r -> r.getString(2));
        Map<UUID, List<String>> payments =
                multimap(PAYMENT_SERVICE, "SELECT order_id, status FROM payment", r -> r.getString(2));
        Map<UUID, List<String>> notifications =
                multimap(NOTIFICATION_SERVICE, "SELECT order_id, type FROM notification", r -> r.getString(2));

        Set<UUID> lost = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        int terminal = 0;
        for (UUID order : accepted) {
            String state = status.get(order);
            if (state == null || state.equals("PENDING")) {
                lost.add(order);
                violations.add("order " + order + " is " + (state == null ? "missing" : "still PENDING"));
            }
        }
        for (Map.Entry<UUID, String> order : status.entrySet()) {
            UUID id = order.getKey();
            String state = order.getValue();
            if (!state.equals("PENDING")) {
                terminal++;
            }
            List<String> paid = payments.getOrDefault(id, List.of());
            if (paid.isEmpty()) {
                lost.add(id);
                violations.add("order " + id + " (" + state + ") has no payment");
            } else if (paid.size() > 1) {
                duplicated.add("payment " + id);
                violations.add("order " + id + " has " + paid.size() + " payments");
            } else if (!consistent(state, paid.getFirst())) {
                violations.add("order " + id + " is " + state + " but its payment is " + paid.getFirst());
            }
            List<String> types = notifications.getOrDefault(id, List.of());
            for (String type : new HashSet<>(types)) {
                long times = types.stream().filter(type::equals).count();
                if (times > 1) {
                    duplicated.add("notification " + id + " " + type);
                    violations.add("order " + id + " was notified " + times + " times of " + type);
                }
            }
            Set<String> expected = switch (state) {
                case "CONFIRMED" -> Set.of("ORDER_PLACED", "ORDER_CONFIRMED");
                case "REJECTED" -> Set.of("ORDER_PLACED", "ORDER_REJECTED");
                case "CANCELLED" -> Set.of("ORDER_PLACED", "ORDER_CANCELLED");
                default -> Set.of("ORDER_PLACED");
            };
            Set<String> allowed = new HashSet<>(expected);
            if (state.equals("CANCELLED")) {
                allowed.add("ORDER_CONFIRMED"); // cancelled after it was confirmed
            }
            if (!types.containsAll(expected)) {
                lost.add(id);
                violations.add("order " + id + " (" + state + ") has notifications " + types + ", not " + expected);
            } else if (!allowed.containsAll(types)) {
                violations.add("order " + id + " (" + state + ") has notifications " + types);
            }
        }
        for (UUID order : payments.keySet()) {
            if (!status.containsKey(order)) {
                violations.add("payment for an order order-service does not have: " + order);
            }
        }

        List<String> credit = list(PAYMENT_SERVICE, """
                SELECT c.customer_id || ' ' || c.currency || ': limit - available = '
                       || (c.credit_limit - c.available) || ', authorized = ' || coalesce(sum(p.amount), 0)
                FROM customer_credit c
                LEFT JOIN payment p ON p.customer_id = c.customer_id AND p.currency = c.currency
                                    AND p.status = 'AUTHORIZED'
                GROUP BY c.customer_id, c.currency, c.credit_limit, c.available
                HAVING c.credit_limit - c.available <> coalesce(sum(p.amount), 0)""");
        credit.forEach(c -> {
            duplicated.add("credit " + c);
            violations.add("credit of " + c);
        });

        for (String service : List.of(ORDER_SERVICE, PAYMENT_SERVICE)) {
            long left = count(service, "SELECT count(*) FROM outbox");
            if (left > 0) {
                violations.add(service + " has " + left + " events left in its outbox");
            }
        }
        long mails = count(NOTIFICATION_SERVICE, "SELECT count(*) FROM mail_outbox");
        if (mails > 0) {
            violations.add("notification-service has " + mails + " mails left in its outbox");
        }

        int deadLettered = 0;
        int replayed = 0;
        for (Map.Entry<String, String> consumer : CONSUMES.entrySet()) {
            String service = consumer.getKey();
            String dlt = consumer.getValue() + "." + service + ".dlt";
            long inTopic = distinctSources(dlt);
            long recorded = deadLetters(service);
            int expected = poison.getOrDefault(service, 0);
            deadLettered += (int) inTopic;
            replayed += (int) count(service, "SELECT count(*) FROM dead_letter WHERE status = 'REPLAYED'");
            if (inTopic != expected || recorded != expected) {
                violations.add(dlt + " holds " + inTopic + " source records and " + service + " lists " + recorded
                        + " dead letters; " + expected + " poison records were sent to it");
            }
        }
        return new Report(
                accepted.size(), terminal, lost.size(), duplicated.size(), deadLettered, replayed, violations);
    }

    private static boolean consistent(String order, String payment) {
        return switch (order) {
            case "CONFIRMED" -> payment.equals("AUTHORIZED");
            case "REJECTED" -> payment.equals("DECLINED");
            case "CANCELLED" -> payment.equals("REFUNDED") || payment.equals("DECLINED");
            default -> true;
        };
    }

    /** Distinct source records (topic, partition, offset) in a dead-letter topic. */
    private long distinctSources(String deadLetterTopic) {
        return suite.kafkaClient.readAll(deadLetterTopic).stream()
                .map(r -> KafkaTestClient.header(r, "kafka_dlt-original-topic") + "/"
                        + KafkaTestClient.intHeader(r, "kafka_dlt-original-partition") + "/"
                        + KafkaTestClient.longHeader(r, "kafka_dlt-original-offset"))
                .distinct()
                .count();
    }

    long deadLetters(String service) {
        return count(service, "SELECT count(*) FROM dead_letter");
    }

    long count(String service, String sql) {
        return Long.parseLong(list(service, sql).getFirst());
    }

    List<String> list(String service, String sql) {
        List<String> rows = new ArrayList<>();
        query(service, sql, r -> rows.add(r.getString(1)));
        return rows;
    }

    /** Column 1 (a UUID) to column 2 as read. */
    private <T> Map<UUID, T> map(String service, String sql, Row<T> value) {
        Map<UUID, T> rows = new HashMap<>();
        query(service, sql, r -> rows.put(r.getObject(1, UUID.class), value.read(r)));
        return rows;
    }

    private <T> Map<UUID, List<T>> multimap(String service, String sql, Row<T> value) {
        Map<UUID, List<T>> rows = new HashMap<>();
        query(
                service,
                sql,
                r -> rows.computeIfAbsent(r.getObject(1, UUID.class), k -> new ArrayList<>())
                        .add(value.read(r)));
        return rows;
    }

    /**
     * When notification-service stored each order's outcome ({@code ORDER_CONFIRMED} or {@code ORDER_REJECTED}):
     * the moment it could go out on the customer's live streams.
     */
    Map<UUID, Instant> outcomesNotified() {
        return map(
                NOTIFICATION_SERVICE,
                "SELECT order_id, created_at FROM notification WHERE type IN ('ORDER_CONFIRMED', 'ORDER_REJECTED')",
                r -> r.getObject(2, OffsetDateTime.class).toInstant());
    }

    /**
     * Every effect the services have recorded: orders with their state and last change, payments, credits
     * and notifications. Equal snapshots before and after a replay mean the replay changed nothing.
     */
    List<String> effects() {
        List<String> effects = new ArrayList<>();
        effects.addAll(list(ORDER_SERVICE, "SELECT id || ' ' || status || ' ' || updated_at FROM orders ORDER BY id"));
        effects.addAll(list(PAYMENT_SERVICE, """
                SELECT id || ' ' || order_id || ' ' || status || ' ' || amount || ' ' || updated_at
                FROM payment ORDER BY id"""));
        effects.addAll(list(PAYMENT_SERVICE, """
                SELECT customer_id || ' ' || currency || ' ' || available || ' ' || version
                FROM customer_credit ORDER BY customer_id, currency"""));
        effects.addAll(list(
                NOTIFICATION_SERVICE, "SELECT id || ' ' || sequence || ' ' || type FROM notification ORDER BY id"));
        return effects;
    }

    private void query(String service, String sql, Row<?> row) {
        try (Connection connection = suite.connect(service);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                row.read(result);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(service + ": " + sql, e);
        }
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }
}

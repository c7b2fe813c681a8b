package dev.orderflow.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and deletes them once Kafka has acknowledged
 * them (acks=all, idempotent producer): at least once, in commit order per order id.
 *
 * <p>One thread per service instance. A commit wakes it at once, so an event is usually published a few
 * milliseconds after its transaction; it also looks every {@code poll-interval} for rows it was not woken
 * for. Rows stay in the table while Kafka is unreachable and go out when it is back. Instances sharing a
 * database take turns through a PostgreSQL advisory lock, so two relays never interleave one order's
 * events.
 */
public class OutboxRelay extends BatchRelay {

    /** Advisory lock key of the relay ("outbox" in ASCII). */
    static final long RELAY_LOCK = 0x6f7574626f78L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final MessagingProperties.Relay settings;
    private final MessageTracing tracing;
    private final Timer lag;
    private final BooleanSupplier createTopics;
    private boolean topicsCreated;

    public OutboxRelay(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KafkaTemplate<String, byte[]> kafka,
            MessagingProperties.Relay settings,
            MeterRegistry meters,
            MessageTracing tracing,
            BooleanSupplier createTopics) {
        super("outbox-relay", settings.batchSize(), settings.pollInterval(), settings.sendTimeout());
        this.jdbc = jdbc;
        this.createTopics = createTopics;
        this.transactions = transactions;
        this.kafka = kafka;
        this.settings = settings;
        this.tracing = tracing;
        // The histogram buckets let a reader (the bench, a dashboard) take percentiles over any window from
        // two scrapes; the precomputed percentiles cover Micrometer's sliding window only.
        this.lag = Timer.builder("outbox.publish.lag")
                .description("From an outbox row's insertion (clock_timestamp() in the transaction that"
                        + " committed it) to Kafka's acknowledgement of its record")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }

    @Override
    protected int runBatch() {
        return publishBatch();
    }

    /** Publishes one batch in one transaction; returns how many rows it published, or {@link #BUSY}. */
    int publishBatch() {
        Integer published = transactions.execute(status -> {
            // In one round trip: the lock, the oldest rows (none while another instance has the lock), and a
            // commit that does not wait for the disk. Losing the deletion in a crash of the database only
            // publishes the rows again, which consumers recognise; waiting would hold up the next round.
            List<Found> found = jdbc.sql("""
                    WITH relay AS (SELECT pg_try_advisory_xact_lock(?) AS locked,
                                          set_config('synchronous_commit', 'off', true))
                    SELECT relay.locked, o.*
                    FROM relay LEFT JOIN LATERAL (SELECT * FROM outbox ORDER BY id LIMIT ?) o ON relay.locked
                    ORDER BY o.id""")
                    .params(RELAY_LOCK, settings.batchSize())
                    .query((rs, n) -> new Found(rs.getBoolean("locked"), Row.of(rs)))
                    .list();
            if (!found.getFirst().locked()) {
                return BUSY; // another instance's relay is at work
            }
            List<Row> rows =
                    found.stream().map(Found::row).filter(Objects::nonNull).toList();
            if (rows.isEmpty()) {
                return 0;
            }
            ensureTopics();
            List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                MessageTracing.Publication publication = tracing.publishing(
                        row.topic(),
                        row.key(),
                        row.eventId(),
                        row.type(),
                        row.traceparent(),
                        row.createdAt().toInstant());
                sends.add(kafka.send(row.toRecord(publication.traceparent())).whenComplete((sent, failure) -> {
                    publication.acknowledged(failure);
                    if (failure == null) {
                        lag.record(row.age());
                    }
                }));
            }
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                        .get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Rolls back: every row of the batch stays and is sent again (consumers are idempotent).
                throw new IllegalStateException("Kafka did not acknowledge the batch", e);
            }
            jdbc.sql("DELETE FROM outbox WHERE id = ANY(?)")
                    .param(rows.stream().map(Row::id).toArray(Long[]::new))
                    .update();
            return rows.size();
        });
        return published == null ? 0 : published;
    }

    /**
     * Topics are created at start-up; a service that started while Kafka was away creates them before it
     * first publishes, so that the broker does not create them with its own defaults.
     */
    private void ensureTopics() {
        if (!topicsCreated) {
            topicsCreated = createTopics.getAsBoolean();
            if (!topicsCreated) {
                throw new IllegalStateException("Could not create the topics");
            }
        }
    }

    /** A result row: whether this relay holds the lock, and an outbox row if there is one. */
    private record Found(boolean locked, Row row) {}

    private record Row(
            long id,
            String eventId,
            String topic,
            String key,
            String type,
            byte[] payload,
            String traceparent,
            Timestamp createdAt) {

        /** The outbox row of a result row; null where the result has none. */
        static Row of(ResultSet rs) throws SQLException {
            long id = rs.getLong("id");
            return rs.wasNull()
                    ? null
                    : new Row(
                            id,
                            rs.getString("event_id"),
                            rs.getString("topic"),
                            rs.getString("record_key"),
                            rs.getString("event_type"),
                            rs.getBytes("payload"),
                            rs.getString("traceparent"),
                            rs.getTimestamp("created_at"));
        }

        /** The record, with the traceparent to send if there is one. */
        ProducerRecord<String, byte[]> toRecord(String traceparent) {
            ProducerRecord<String, byte[]> record = EventCodec.record(topic, key, eventId, type, payload);
            if (traceparent != null) {
                record.headers().add(MessageTracing.TRACEPARENT_HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
            }
            return record;
        }

        Duration age() {
            return Duration.between(createdAt.toInstant(), Instant.now());
        }
    }
}

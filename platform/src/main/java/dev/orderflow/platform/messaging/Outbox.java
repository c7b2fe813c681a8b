package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox. An event is stored in the transaction of the state change it announces, so
 * both commit or neither does; {@link OutboxRelay} publishes it after the commit.
 *
 * <p>Aggregates register the events of their transitions; the repository that stores an aggregate appends them
 * here. The events of a transaction are inserted together just before it commits, in the order they were
 * appended, so that a consumer applying a polled batch in one transaction does not pay a round trip per event
 * it announces. Each is keyed by its aggregate ({@link DomainEvent#aggregateId()}), so one aggregate's events
 * keep their order on Kafka.
 *
 * <p>The same statement records the events the transaction consumed in the message log ({@code processed_event},
 * see {@link IdempotentConsumer}): if one of them is there already, the transaction fails with
 * {@link EventsSeenBeforeException} and rolls back, effects and all.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final EventCodec codec;
    private final MessageTracing tracing;
    private final Runnable onCommit;

    public Outbox(JdbcClient jdbc, EventCodec codec, MessageTracing tracing, Runnable onCommit) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.tracing = tracing;
        this.onCommit = onCommit;
    }

    /** Stores the events in the current transaction, to be published once it has committed. */
    public void append(Collection<? extends DomainEvent> events) {
        if (!events.isEmpty()) {
            pending(events.iterator().next()).published.addAll(events);
        }
    }

    public void append(DomainEvent event) {
        append(List.of(event));
    }

    /**
     * Records in the message log, as the current transaction commits, that it applied these events (distinct
     * ones); the commit fails with {@link EventsSeenBeforeException} if any was applied before.
     */
    void recordConsumed(List<? extends DomainEvent> events) {
        if (!events.isEmpty()) {
            pending(events.getFirst()).consumed.addAll(events);
        }
    }

    /** What the current transaction writes as it commits. */
    private static final class Writes {
        final List<DomainEvent> published = new ArrayList<>();
        final List<DomainEvent> consumed = new ArrayList<>();
    }

    private Writes pending(DomainEvent first) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(
                    "An event must be stored in the transaction of its state change: " + first.type());
        }
        Writes writes = (Writes) TransactionSynchronizationManager.getResource(this);
        if (writes != null) {
            return writes;
        }
        Writes created = new Writes();
        TransactionSynchronizationManager.bindResource(this, created);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                write(created);
            }

            @Override
            public void afterCommit() {
                if (!created.published.isEmpty()) {
                    onCommit.run();
                }
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
            }
        });
        return created;
    }

    /**
     * One round trip: the published events into the outbox (their ids in the order appended, each with the
     * traceparent of what caused it, see {@link MessageTracing#traceparentFor}), the consumed ones into the message
     * log, and how many of those were new.
     */
    private void write(Writes writes) {
        List<DomainEvent> out = writes.published;
        List<DomainEvent> in = writes.consumed;
        long recorded = jdbc.sql("""
                WITH consumed AS (
                    INSERT INTO processed_event (event_id, event_type)
                    SELECT * FROM unnest(?::uuid[], ?::text[])
                    ON CONFLICT (event_id) DO NOTHING
                    RETURNING event_id),
                published AS (
                    INSERT INTO outbox (event_id, topic, record_key, event_type, payload, traceparent)
                    SELECT event_id, topic, record_key, event_type, payload, traceparent
                    FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::text[])
                        WITH ORDINALITY AS e(event_id, topic, record_key, event_type, payload, traceparent, position)
                    ORDER BY position)
                SELECT count(*) FROM consumed""")
                .params(
                        in.stream().map(DomainEvent::eventId).toArray(UUID[]::new),
                        in.stream().map(DomainEvent::type).toArray(String[]::new),
                        out.stream().map(DomainEvent::eventId).toArray(UUID[]::new),
                        out.stream().map(Topics::of).toArray(String[]::new),
                        out.stream().map(e -> e.aggregateId().toString()).toArray(String[]::new),
                        out.stream().map(DomainEvent::type).toArray(String[]::new),
                        out.stream().map(codec::encode).toArray(byte[][]::new),
                        out.stream()
                                .map(e -> tracing.traceparentFor(e.aggregateId()))
                                .toArray(String[]::new))
                .query(Long.class)
                .single();
        if (recorded < in.size()) {
            throw new EventsSeenBeforeException(in.size() - (int) recorded);
        }
    }
}

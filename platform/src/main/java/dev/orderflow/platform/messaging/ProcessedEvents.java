package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The consumers' message log. {@link IdempotentConsumer} records the ids of the events it applies in the
 * transaction that applies their effects: effects and records commit together, so a redelivered event (a
 * crash before the offset commit, a replayed topic) is recognised and changes nothing.
 */
public class ProcessedEvents {

    /** Name of the counter of deliveries recognised as redeliveries and skipped. */
    public static final String REDELIVERED_METRIC = "orderflow.events.redelivered";

    private final JdbcClient jdbc;
    private final Counter redelivered;

    public ProcessedEvents(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.redelivered = Counter.builder(REDELIVERED_METRIC)
                .description("Events delivered again after they had been applied, and skipped")
                .register(meters);
    }

    /** Counts events polled more than once in one batch, which are applied once. */
    void countRedelivered(int events) {
        if (events > 0) {
            redelivered.increment(events);
        }
    }

    /**
     * Records the events as processed, in one statement; returns the ids of those processed for the first
     * time. An id that comes twice in the list counts once. A concurrent transaction recording one of the
     * ids makes this one wait for its outcome.
     */
    public Set<UUID> firstDeliveries(List<? extends DomainEvent> events) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("An event must be recorded in the transaction of its effect");
        }
        Set<UUID> first = new HashSet<>(jdbc.sql("""
                INSERT INTO processed_event (event_id, event_type)
                SELECT * FROM unnest(?::uuid[], ?::text[])
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id""")
                .params(
                        events.stream().map(DomainEvent::eventId).toArray(UUID[]::new),
                        events.stream().map(DomainEvent::type).toArray(String[]::new))
                .query(UUID.class)
                .list());
        int skipped = events.size() - first.size();
        if (skipped > 0) {
            redelivered.increment(skipped);
        }
        return first;
    }
}

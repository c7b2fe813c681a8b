package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The consumers' message log. {@link #firstDelivery} records an event id in the transaction that applies
 * the event's effect: the effect and the record commit together, so a redelivered event (a crash before
 * the offset commit, a replayed topic) is recognised and changes nothing.
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

    /**
     * Records the event as processed; true the first time, false when it was processed before. A
     * concurrent transaction recording the same id makes this one wait for its outcome.
     */
    public boolean firstDelivery(DomainEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("An event must be recorded in the transaction of its effect");
        }
        boolean first = jdbc.sql("""
                INSERT INTO processed_event (event_id, event_type) VALUES (?, ?)
                ON CONFLICT (event_id) DO NOTHING""").params(event.eventId(), event.type()).update() == 1;
        if (!first) {
            redelivered.increment();
        }
        return first;
    }
}

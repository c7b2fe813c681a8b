package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.Topics;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox. An event is stored in the transaction of the state change it announces, so
 * both commit or neither does; {@link OutboxRelay} publishes it after the commit.
 *
 * <p>Aggregates register their events with Spring Data ({@code @DomainEvents}); saving the aggregate
 * publishes them as application events inside the transaction, and they land here. The events of a
 * transaction are inserted together just before it commits, in one round trip of a JDBC batch and in the
 * order they were appended, so that a consumer applying a polled batch in one transaction does not pay a
 * round trip per event it announces.
 */
public class Outbox {

    private static final String INSERT = """
            INSERT INTO outbox (event_id, topic, record_key, event_type, payload)
            VALUES (?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;
    private final EventCodec codec;
    private final Runnable onCommit;

    public Outbox(JdbcTemplate jdbc, EventCodec codec, Runnable onCommit) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.onCommit = onCommit;
    }

    @EventListener
    public void on(DomainEvent event) {
        append(event);
    }

    public void append(DomainEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(
                    "An event must be stored in the transaction of its state change: " + event.type());
        }
        pending().add(event);
    }

    /** The events appended in the current transaction, inserted before it commits. */
    @SuppressWarnings("unchecked")
    private List<DomainEvent> pending() {
        List<DomainEvent> events = (List<DomainEvent>) TransactionSynchronizationManager.getResource(this);
        if (events != null) {
            return events;
        }
        List<DomainEvent> appended = new ArrayList<>();
        TransactionSynchronizationManager.bindResource(this, appended);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                insert(appended);
            }

            @Override
            public void afterCommit() {
                onCommit.run();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
            }
        });
        return appended;
    }

    private void insert(List<DomainEvent> events) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (DomainEvent event : events) {
            rows.add(new Object[] {
                event.eventId(), Topics.of(event), event.orderId().toString(), event.type(), codec.encode(event)
            });
        }
        jdbc.batchUpdate(INSERT, rows);
    }
}

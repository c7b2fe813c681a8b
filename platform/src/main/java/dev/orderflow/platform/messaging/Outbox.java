package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.Topics;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox. An event is stored in the transaction of the state change it announces, so
 * both commit or neither does; {@link OutboxRelay} publishes it after the commit.
 *
 * <p>Aggregates register their events with Spring Data ({@code @DomainEvents}); saving the aggregate
 * publishes them as application events inside the transaction, and they land here.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final EventCodec codec;
    private final Runnable onCommit;

    public Outbox(JdbcClient jdbc, EventCodec codec, Runnable onCommit) {
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
        jdbc.sql("""
                INSERT INTO outbox (event_id, topic, record_key, event_type, payload)
                VALUES (?, ?, ?, ?, ?)""")
                .params(
                        event.eventId(),
                        Topics.of(event),
                        event.orderId().toString(),
                        event.type(),
                        codec.encode(event))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                onCommit.run();
            }
        });
    }
}

package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way a consumed record takes into a service: decoded as the event family of its handler, recorded in
 * the message log and applied by the handler in the same transaction, unless it was applied before. A
 * service's {@code @KafkaListener} hands it every polled batch ({@link #consume}); a replayed dead letter comes
 * alone ({@link #replay}).
 *
 * <p>A batch is applied in one transaction, so that a busy consumer commits once per poll instead of once per
 * event. Redeliveries are rare, so the events go to the handler first (in the order they were polled, each once)
 * and are recorded in the message log as the transaction commits, in the statement that also writes the outbox
 * ({@link Outbox}): no round trip of its own. If one of them had been applied before, that commit fails and
 * rolls back, and the batch is applied again in a transaction that first records the events in the message log
 * ({@link ProcessedEvents#firstDeliveries}) and hands only the new ones to the handler. When the batch fails, its
 * events are applied again one transaction each, to find the one that fails: those before it commit, and a
 * {@link BatchListenerFailedException} names it, so that the listener container commits their offsets and
 * retries or dead-letters that record alone ({@link DeadLetters}), then goes on with the rest. A record that
 * cannot be decoded ends the batch there and is named the same way.
 */
public class IdempotentConsumer {

    private final EventCodec codec;
    private final ProcessedEvents processedEvents;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final ObjectProvider<EventHandler<?>> handlers;
    private final MessageTracing tracing;
    private final String group;

    /**
     * @param handlers the service's handlers, looked up when a dead letter is replayed (they are also the
     *     listeners that use this consumer)
     */
    public IdempotentConsumer(
            EventCodec codec,
            ProcessedEvents processedEvents,
            Outbox outbox,
            TransactionTemplate transactions,
            ObjectProvider<EventHandler<?>> handlers,
            MessageTracing tracing,
            String group) {
        this.codec = codec;
        this.processedEvents = processedEvents;
        this.outbox = outbox;
        this.transactions = transactions;
        this.handlers = handlers;
        this.tracing = tracing;
        this.group = group;
    }

    /**
     * Applies a polled batch as described above; events the handler does not handle are passed over. Each handled
     * record gets a span of its own, child of its {@code traceparent}, for as long as its batch is applied
     * ({@link MessageTracing}).
     */
    public <T extends DomainEvent> void consume(
            List<? extends ConsumerRecord<?, byte[]>> records, EventHandler<T> handler) {
        List<T> handled = new ArrayList<>(records.size());
        List<ConsumerRecord<?, byte[]>> handledRecords = new ArrayList<>(records.size());
        // the index in the batch of each handled event, by which the container knows a failed record
        List<Integer> indexes = new ArrayList<>(records.size());
        RuntimeException undecodable = null;
        int index = 0;
        for (; index < records.size(); index++) {
            T event;
            try {
                event = codec.decode(records.get(index), handler.family());
            } catch (RuntimeException e) {
                undecodable = e;
                break;
            }
            if (handler.handles(event)) {
                handled.add(event);
                handledRecords.add(records.get(index));
                indexes.add(index);
            }
        }
        if (!handled.isEmpty()) {
            try (MessageTracing.Consumption consumption = tracing.consuming(group, handledRecords, handled)) {
                try {
                    consumption.apply(() -> applyOnce(handled, handler));
                } catch (RuntimeException batchFailure) {
                    consumption.batchFailed(batchFailure);
                    for (int i = 0; i < handled.size(); i++) {
                        T event = handled.get(i);
                        try {
                            consumption.applyOne(i, () -> applyOnce(List.of(event), handler));
                        } catch (RuntimeException e) {
                            consumption.failed(i, e);
                            throw new BatchListenerFailedException(DeadLetters.reason(e), e, indexes.get(i));
                        }
                    }
                    // Each went through alone (a conflict with another transaction, say): nothing is left to do.
                }
            }
        }
        if (undecodable != null) {
            throw new BatchListenerFailedException(DeadLetters.reason(undecodable), undecodable, index);
        }
    }

    /**
     * Decodes a record that an operator replays and has the handler of its topic apply it, unless it was applied
     * before; in the caller's transaction if there is one. Throws what decoding or the handler throws; a record of
     * a topic this service does not consume is unprocessable.
     */
    public void replay(ConsumerRecord<?, byte[]> record) {
        EventHandler<?> handler = handlers.orderedStream()
                .filter(candidate -> candidate.topic().equals(record.topic()))
                .findFirst()
                .orElseThrow(() -> new UnprocessableEventException("this service does not consume " + record.topic()));
        replay(record, handler);
    }

    private <T extends DomainEvent> void replay(ConsumerRecord<?, byte[]> record, EventHandler<T> handler) {
        T event = codec.decode(record, handler.family());
        if (handler.handles(event)) {
            try (MessageTracing.LogContext log = MessageTracing.LogContext.of(
                    event, MessageTracing.header(record, MessageTracing.TRACEPARENT_HEADER))) {
                applyOnce(List.of(event), handler);
            }
        }
    }

    private <T extends DomainEvent> void applyOnce(List<T> events, EventHandler<T> handler) {
        Set<UUID> ids = new HashSet<>();
        // an event polled twice in one batch is applied once
        List<T> distinct =
                events.stream().filter(event -> ids.add(event.eventId())).toList();
        processedEvents.countRedelivered(events.size() - distinct.size());
        // In a caller's transaction (a replay), the commit and its check are the caller's: look first.
        boolean optimistic = !TransactionSynchronizationManager.isActualTransactionActive();
        try {
            if (optimistic) {
                transactions.executeWithoutResult(status -> {
                    outbox.recordConsumed(distinct);
                    handler.apply(distinct);
                });
                return;
            }
        } catch (EventsSeenBeforeException redelivered) {
            // applied again below without those applied before
        }
        transactions.executeWithoutResult(status -> {
            Set<UUID> first = processedEvents.firstDeliveries(distinct);
            List<T> fresh = distinct.stream()
                    .filter(event -> first.contains(event.eventId()))
                    .toList();
            if (!fresh.isEmpty()) {
                handler.apply(fresh);
            }
        });
    }
}

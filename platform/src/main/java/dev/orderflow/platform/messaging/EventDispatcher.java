package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands consumed records to the service's {@link EventHandler} of their topic, decoded, each applied at most
 * once: the one path of a record into a service. Its listener containers hand it every polled batch
 * ({@link #dispatchBatch}); a replayed dead letter comes alone ({@link #dispatch}).
 *
 * <p>A batch is applied in one transaction: the events are recorded as processed in one statement
 * ({@link ProcessedEvents#firstDeliveries}) and those not seen before are applied in the order they were
 * polled, so a busy consumer commits once per poll instead of once per event. When the batch fails, its
 * events are applied again one transaction each, to find the one that fails: those before it commit, and a
 * {@link BatchListenerFailedException} names it, so that the container commits their offsets and retries or
 * dead-letters that record alone, as it would a single one ({@link DeadLetters}), then goes on with the rest.
 */
public class EventDispatcher {

    private final EventCodec codec;
    private final ProcessedEvents processedEvents;
    private final TransactionTemplate transactions;
    private final Map<String, EventHandler<?>> handlers = new LinkedHashMap<>();

    /**
     * @param consumes the topics the service is configured to consume ({@code orderflow.messaging.consumes}):
     *     they, and their dead-letter topics, are the ones it creates, so a handler of another topic is a
     *     mistake in its configuration
     */
    public EventDispatcher(
            EventCodec codec,
            ProcessedEvents processedEvents,
            TransactionTemplate transactions,
            List<EventHandler<?>> handlers,
            Collection<String> consumes) {
        this.codec = codec;
        this.processedEvents = processedEvents;
        this.transactions = transactions;
        for (EventHandler<?> handler : handlers) {
            String topic = topicOf(handler.family());
            if (!consumes.contains(topic)) {
                throw new IllegalStateException(handler.getClass().getName() + " handles " + topic
                        + ", which is missing from orderflow.messaging.consumes " + consumes);
            }
            EventHandler<?> other = this.handlers.putIfAbsent(topic, handler);
            if (other != null) {
                throw new IllegalStateException(
                        "Two handlers of " + topic + ": " + other.getClass().getName() + " and "
                                + handler.getClass().getName());
            }
        }
    }

    /** The topics that have a handler. */
    public Set<String> topics() {
        return handlers.keySet();
    }

    /**
     * Decodes the record and applies it in a transaction of its own, unless it was applied before; throws
     * what decoding or the handler throws. A record of a topic without handler is unprocessable.
     */
    public void dispatch(ConsumerRecord<?, byte[]> record) {
        apply(List.of(decode(record)));
    }

    /**
     * Applies a polled batch as described above; a record that cannot be decoded ends the batch there, and
     * the container dead-letters it.
     */
    public void dispatchBatch(List<? extends ConsumerRecord<?, byte[]>> records) {
        List<Decoded<?>> decoded = new ArrayList<>(records.size());
        RuntimeException undecodable = null;
        for (ConsumerRecord<?, byte[]> record : records) {
            try {
                decoded.add(decode(record));
            } catch (RuntimeException e) {
                undecodable = e;
                break;
            }
        }
        if (!decoded.isEmpty()) {
            try {
                apply(decoded);
            } catch (RuntimeException batchFailure) {
                for (int i = 0; i < decoded.size(); i++) {
                    try {
                        apply(List.of(decoded.get(i)));
                    } catch (RuntimeException e) {
                        throw new BatchListenerFailedException(DeadLetters.reason(e), e, i);
                    }
                }
                // Each went through alone (a conflict with another transaction, say): nothing is left to do.
            }
        }
        if (undecodable != null) {
            throw new BatchListenerFailedException(DeadLetters.reason(undecodable), undecodable, decoded.size());
        }
    }

    private void apply(List<Decoded<?>> events) {
        transactions.executeWithoutResult(status -> {
            Set<UUID> first = processedEvents.firstDeliveries(
                    events.stream().map(Decoded::event).toList());
            // remove: an event polled twice in one batch is applied once
            List<Decoded<?>> fresh = events.stream()
                    .filter(event -> first.remove(event.event().eventId()))
                    .toList();
            // runs of events of one handler, in order (a batch comes from one topic: one run)
            for (int from = 0, to; from < fresh.size(); from = to) {
                EventHandler<?> handler = fresh.get(from).handler();
                to = from + 1;
                while (to < fresh.size() && fresh.get(to).handler() == handler) {
                    to++;
                }
                applyAll(handler, fresh.subList(from, to));
            }
        });
    }

    @SuppressWarnings("unchecked") // each event was decoded as its handler's family
    private static <T extends DomainEvent> void applyAll(EventHandler<T> handler, List<Decoded<?>> events) {
        handler.onAll(events.stream().map(event -> (T) event.event()).toList());
    }

    private Decoded<?> decode(ConsumerRecord<?, byte[]> record) {
        EventHandler<?> handler = handlers.get(record.topic());
        if (handler == null) {
            throw new UnprocessableEventException("this service does not consume " + record.topic());
        }
        return decode(handler, record);
    }

    private <T extends DomainEvent> Decoded<T> decode(EventHandler<T> handler, ConsumerRecord<?, byte[]> record) {
        return new Decoded<>(handler, codec.decode(record, handler.family()));
    }

    private record Decoded<T extends DomainEvent>(EventHandler<T> handler, T event) {}

    private static String topicOf(Class<? extends DomainEvent> family) {
        return Topics.all().stream()
                .filter(topic -> Topics.family(topic).orElseThrow().equals(family))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No topic carries " + family.getName()));
    }
}

package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.Topics;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands a consumed record to the service's {@link EventHandler} of its topic, decoded. The one path of a
 * record into a service: its listener container and a replayed dead letter both take it.
 */
public class EventDispatcher {

    private final EventCodec codec;
    private final Map<String, EventHandler<?>> handlers = new LinkedHashMap<>();

    /**
     * @param consumes the topics the service is configured to consume ({@code orderflow.messaging.consumes}):
     *     they, and their dead-letter topics, are the ones it creates, so a handler of another topic is a
     *     mistake in its configuration
     */
    public EventDispatcher(EventCodec codec, List<EventHandler<?>> handlers, Collection<String> consumes) {
        this.codec = codec;
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
     * Decodes the record and applies it; throws what decoding or the handler throws. A record of a topic
     * without handler is unprocessable.
     */
    public void dispatch(ConsumerRecord<?, byte[]> record) {
        EventHandler<?> handler = handlers.get(record.topic());
        if (handler == null) {
            throw new UnprocessableEventException("this service does not consume " + record.topic());
        }
        deliver(handler, record);
    }

    private <T extends DomainEvent> void deliver(EventHandler<T> handler, ConsumerRecord<?, byte[]> record) {
        handler.on(codec.decode(record, handler.family()));
    }

    private static String topicOf(Class<? extends DomainEvent> family) {
        return Topics.all().stream()
                .filter(topic -> Topics.family(topic).orElseThrow().equals(family))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No topic carries " + family.getName()));
    }
}

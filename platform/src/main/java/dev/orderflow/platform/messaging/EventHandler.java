package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.Topics;
import java.util.List;

/**
 * What a service does with the events of one topic it consumes: its {@code @KafkaListener} hands each polled
 * batch to {@link IdempotentConsumer#consume}, which decodes the records and calls {@link #apply} with those
 * not applied before; an operator's replay of a dead letter of that topic takes the same way.
 *
 * <p>{@link #apply} runs in a transaction that the platform opened, in which the events were recorded as
 * processed ({@link ProcessedEvents}), so that their effects and that record commit together. It translates the
 * wire events into the service's own commands; it throws {@link UnprocessableEventException} for an event that
 * can never be applied as it is, and any exception rolls the whole transaction back.
 *
 * @param <T> the sealed family of events of the topic, such as {@code PaymentEvent}
 */
public interface EventHandler<T extends DomainEvent> {

    /** The family of events handled; it names the topic they are consumed from. */
    Class<T> family();

    /**
     * Whether the event can change anything here. Those that cannot (this service's own outcomes coming back,
     * say) are passed over without a transaction or an entry in the message log: ignoring one twice is harmless.
     */
    default boolean handles(T event) {
        return true;
    }

    /**
     * Applies events in the order given, in the platform's transaction; each is one the handler
     * {@linkplain #handles handles}, and none was applied before.
     */
    void apply(List<T> events);

    /** The topic the events come from. */
    default String topic() {
        return Topics.of(family());
    }
}

package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import java.util.List;

/**
 * What a service does with the events of one topic it consumes. The platform decodes each record of
 * that topic and calls {@link #on}: from the topic's listener container, and again when an operator
 * replays a dead letter of that topic ({@code POST /api/admin/dead-letters/{id}/replay}).
 *
 * <p>{@link #on} runs in a transaction that the platform opened ({@link EventDispatcher}): one per polled
 * batch, which may hold other events too, and in which the event was recorded as processed
 * ({@link ProcessedEvents}). It is called only for an event not applied before, so a redelivery or a replay
 * of an event already applied changes nothing. It throws {@link UnprocessableEventException} for an event
 * that can never be applied as it is; any exception rolls the whole transaction back.
 *
 * @param <T> the sealed family of events of the topic, such as {@code PaymentEvent}
 */
public interface EventHandler<T extends DomainEvent> {

    /** The family of events handled; it names the topic they are consumed from. */
    Class<T> family();

    void on(T event);

    /**
     * Applies events in the order given, as {@link #on} would one by one, in the same kind of transaction:
     * a handler that can apply several at a lower cost than one at a time (one query for all of them
     * instead of one each) overrides it.
     */
    default void onAll(List<T> events) {
        events.forEach(this::on);
    }
}

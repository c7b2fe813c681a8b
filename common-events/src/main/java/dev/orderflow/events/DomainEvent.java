package dev.orderflow.events;

import java.time.Instant;
import java.util.UUID;

/**
 * What every event carries. The event's type is the simple name of its record and travels, with
 * {@link #SCHEMA_VERSION} and {@link #eventId()}, both in the JSON body and as Kafka headers.
 *
 * <p>Each topic has its own sealed family, so a {@code switch} over a family is checked for
 * exhaustiveness by the compiler.
 */
public sealed interface DomainEvent permits OrderEvent, PaymentEvent {

    /** Version of the JSON shape of every event in this module; raise it on an incompatible change. */
    int SCHEMA_VERSION = 1;

    UUID eventId();

    Instant occurredAt();

    UUID orderId();

    /** The customer whose order it is. */
    String customerId();

    /**
     * The aggregate whose change the event announces, and so the Kafka record key: one aggregate's events
     * share a partition and keep their order. Every event of this suite is about one order.
     */
    default UUID aggregateId() {
        return orderId();
    }

    default String type() {
        return getClass().getSimpleName();
    }
}

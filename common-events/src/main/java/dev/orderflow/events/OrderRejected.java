package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import java.time.Instant;
import java.util.UUID;

public record OrderRejected(UUID eventId, Instant occurredAt, UUID orderId, String customerId, String reason)
        implements OrderEvent {

    public OrderRejected {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(customerId, "customerId");
        required(reason, "reason");
    }
}

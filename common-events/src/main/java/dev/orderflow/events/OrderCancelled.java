package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import java.time.Instant;
import java.util.UUID;

public record OrderCancelled(UUID eventId, Instant occurredAt, UUID orderId, String customerId) implements OrderEvent {

    public OrderCancelled {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(customerId, "customerId");
    }
}

package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import java.time.Instant;
import java.util.UUID;

public record OrderConfirmed(UUID eventId, Instant occurredAt, UUID orderId, String customerId, UUID paymentId)
        implements OrderEvent {

    public OrderConfirmed {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(customerId, "customerId");
        required(paymentId, "paymentId");
    }
}

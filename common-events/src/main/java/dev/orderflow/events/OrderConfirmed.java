package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;

public record OrderConfirmed(
        UUID eventId,
        Instant occurredAt,
        UUID orderId,

        @Pattern(regexp = Bounds.CUSTOMER_ID, message = "must be 1-64 of A-Z a-z 0-9 . _ -")
        String customerId,

        UUID paymentId)
        implements OrderEvent {

    public OrderConfirmed {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(customerId, "customerId");
        required(paymentId, "paymentId");
    }
}

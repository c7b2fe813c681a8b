package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

public record OrderRejected(
        UUID eventId,
        Instant occurredAt,
        UUID orderId,

        @Pattern(regexp = Bounds.CUSTOMER_ID, message = "must be 1-64 of A-Z a-z 0-9 . _ -")
        String customerId,

        @Size(max = Bounds.MAX_REASON_LENGTH)
        @Pattern(regexp = Bounds.NO_CONTROL_CHARACTERS, message = "must not contain control characters")
        String reason)
        implements OrderEvent {

    public OrderRejected {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(customerId, "customerId");
        required(reason, "reason");
    }
}

package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record PaymentDeclined(
        UUID eventId,
        Instant occurredAt,
        UUID orderId,
        UUID paymentId,
        String customerId,
        BigDecimal amount,
        String currency,
        String reason)
        implements PaymentEvent {

    /** The one reason the payment rules give today. */
    public static final String INSUFFICIENT_CREDIT = "INSUFFICIENT_CREDIT";

    public PaymentDeclined {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(paymentId, "paymentId");
        required(customerId, "customerId");
        required(amount, "amount");
        required(currency, "currency");
        required(reason, "reason");
    }
}

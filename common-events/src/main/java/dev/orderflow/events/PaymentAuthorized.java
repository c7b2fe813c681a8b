package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record PaymentAuthorized(
        UUID eventId,
        Instant occurredAt,
        UUID orderId,
        UUID paymentId,
        String customerId,
        BigDecimal amount,
        String currency)
        implements PaymentEvent {

    public PaymentAuthorized {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(paymentId, "paymentId");
        required(customerId, "customerId");
        required(amount, "amount");
        required(currency, "currency");
    }
}

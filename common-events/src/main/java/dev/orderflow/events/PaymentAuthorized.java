package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record PaymentAuthorized(
        UUID eventId,
        Instant occurredAt,
        UUID orderId,
        UUID paymentId,

        @Pattern(regexp = Bounds.CUSTOMER_ID, message = "must be 1-64 of A-Z a-z 0-9 . _ -")
        String customerId,

        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax(Bounds.MAX_TOTAL)
        @Digits(integer = Bounds.TOTAL_DIGITS, fraction = Bounds.DECIMALS)
        BigDecimal amount,

        @Pattern(regexp = Bounds.CURRENCY, message = "must be three upper-case letters")
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

package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

public record PaymentDeclined(
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
        String currency,

        @Size(max = Bounds.MAX_REASON_LENGTH)
        @Pattern(regexp = Bounds.NO_CONTROL_CHARACTERS, message = "must not contain control characters")
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

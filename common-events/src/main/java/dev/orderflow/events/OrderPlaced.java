package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record OrderPlaced(
        UUID eventId,
        Instant occurredAt,
        UUID orderId,

        @Pattern(regexp = Bounds.CUSTOMER_ID, message = "must be 1-64 of A-Z a-z 0-9 . _ -")
        String customerId,

        @Pattern(regexp = Bounds.CURRENCY, message = "must be three upper-case letters")
        String currency,

        @Size(max = Bounds.MAX_ITEMS) List<@Valid Item> items,

        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax(Bounds.MAX_TOTAL)
        @Digits(integer = Bounds.TOTAL_DIGITS, fraction = Bounds.DECIMALS)
        BigDecimal total)
        implements OrderEvent {

    public OrderPlaced {
        required(eventId, "eventId");
        required(occurredAt, "occurredAt");
        required(orderId, "orderId");
        required(customerId, "customerId");
        required(currency, "currency");
        items = List.copyOf(required(items, "items"));
        required(total, "total");
        if (total.signum() <= 0) {
            throw new IllegalArgumentException("total must be positive");
        }
    }

    public record Item(
            @Size(max = Bounds.MAX_SKU_LENGTH)
            @Pattern(regexp = Bounds.NO_CONTROL_CHARACTERS, message = "must not contain control characters")
            String sku,

            @Max(Bounds.MAX_QUANTITY) int quantity,

            @DecimalMin(value = "0", inclusive = false)
            @DecimalMax(Bounds.MAX_UNIT_PRICE)
            @Digits(integer = Bounds.UNIT_PRICE_DIGITS, fraction = Bounds.DECIMALS)
            BigDecimal unitPrice) {

        public Item {
            required(sku, "sku");
            required(unitPrice, "unitPrice");
            if (quantity < 1) {
                throw new IllegalArgumentException("quantity must be positive");
            }
        }
    }
}

package dev.orderflow.orderservice.order.web;

import dev.orderflow.orderservice.order.NewOrder;
import dev.orderflow.orderservice.order.OrderItem;
import dev.orderflow.platform.web.CustomerId;
import dev.orderflow.platform.web.NoControlCharacters;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/** The body of {@code POST /api/orders}, with the contract's rules. */
record PlaceOrderRequest(
        @NotNull @CustomerId String customerId,

        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be three upper-case letters")
        String currency,

        @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Item> items) {

    record Item(
            @NotNull @Size(min = 1, max = 64) @NoControlCharacters
            String sku,

            @NotNull @Min(1) @Max(1000) Integer quantity,

            @NotNull
            @DecimalMin(value = "0", inclusive = false)
            @DecimalMax("1000000")
            @Digits(integer = 7, fraction = 2, message = "must have at most 2 decimals")
            BigDecimal unitPrice) {}

    NewOrder toNewOrder() {
        return new NewOrder(
                customerId,
                currency,
                items.stream()
                        .map(i -> new OrderItem(i.sku(), i.quantity(), i.unitPrice()))
                        .toList());
    }
}

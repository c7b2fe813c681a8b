package dev.orderflow.events;

import static dev.orderflow.events.Contract.required;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record OrderPlaced(
        UUID eventId,
        Instant occurredAt,
        UUID orderId,
        String customerId,
        String currency,
        List<Item> items,
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

    public record Item(String sku, int quantity, BigDecimal unitPrice) {

        public Item {
            required(sku, "sku");
            required(unitPrice, "unitPrice");
            if (quantity < 1) {
                throw new IllegalArgumentException("quantity must be positive");
            }
        }
    }
}

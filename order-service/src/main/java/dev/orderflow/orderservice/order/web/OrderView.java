package dev.orderflow.orderservice.order.web;

import dev.orderflow.orderservice.order.Order;
import dev.orderflow.orderservice.order.OrderItem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The order as the API returns it everywhere. */
record OrderView(
        UUID orderId,
        String customerId,
        String currency,
        List<OrderItem> items,
        BigDecimal total,
        String status,
        String reason,
        Instant createdAt,
        Instant updatedAt) {

    static OrderView of(Order order) {
        return new OrderView(
                order.getId(),
                order.getCustomerId(),
                order.getCurrency(),
                order.getItems(),
                order.getTotal(),
                order.getStatus().name(),
                order.getReason(),
                order.getCreatedAt(),
                order.getUpdatedAt());
    }
}

package dev.orderflow.orderservice.order;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An order and its lifecycle: {@code PENDING} → {@code CONFIRMED} (payment authorized) or {@code REJECTED}
 * (payment declined); {@code PENDING}/{@code CONFIRMED} → {@code CANCELLED}. Each transition registers the
 * event that announces it; {@link Orders} stores the order and its events in the outbox in one transaction.
 */
public class Order {

    private final UUID id;
    private final String customerId;
    private final String currency;
    private final List<OrderItem> items;
    private final BigDecimal total;
    private final Instant createdAt;
    private OrderStatus status;
    private String reason;
    private Instant updatedAt;
    private final List<OrderEvent> events = new ArrayList<>();

    /** An order as it was stored, or a new one. */
    Order(
            UUID id,
            String customerId,
            String currency,
            List<OrderItem> items,
            BigDecimal total,
            OrderStatus status,
            String reason,
            Instant createdAt,
            Instant updatedAt) {
        this.id = id;
        this.customerId = customerId;
        this.currency = currency;
        this.items = List.copyOf(items);
        this.total = total;
        this.status = status;
        this.reason = reason;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
    }

    public static Order place(String customerId, String currency, List<OrderItem> items) {
        BigDecimal total = items.stream()
                .map(OrderItem::subtotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
        Instant now = now();
        Order order =
                new Order(UUID.randomUUID(), customerId, currency, items, total, OrderStatus.PENDING, null, now, now);
        order.events.add(new OrderPlaced(
                UUID.randomUUID(),
                now,
                order.id,
                customerId,
                currency,
                items.stream()
                        .map(i -> new OrderPlaced.Item(i.sku(), i.quantity(), i.unitPrice()))
                        .toList(),
                total));
        return order;
    }

    /**
     * The payment was authorized. An order cancelled meanwhile stays cancelled (payment-service refunds
     * the payment when it sees the cancellation); true if the order changed.
     */
    public boolean confirm(UUID paymentId) {
        if (status != OrderStatus.PENDING) {
            return false;
        }
        transitionTo(OrderStatus.CONFIRMED, null);
        events.add(new OrderConfirmed(UUID.randomUUID(), updatedAt, id, customerId, paymentId));
        return true;
    }

    /** The payment was declined; an order cancelled meanwhile stays cancelled. True if the order changed. */
    public boolean reject(String reason) {
        if (status != OrderStatus.PENDING) {
            return false;
        }
        transitionTo(OrderStatus.REJECTED, reason);
        events.add(new OrderRejected(UUID.randomUUID(), updatedAt, id, customerId, reason));
        return true;
    }

    /** Cancels a pending or confirmed order; refuses a rejected or already cancelled one. */
    public void cancel() {
        if (status != OrderStatus.PENDING && status != OrderStatus.CONFIRMED) {
            throw new OrderNotCancellableException(id, status);
        }
        transitionTo(OrderStatus.CANCELLED, reason);
        events.add(new OrderCancelled(UUID.randomUUID(), updatedAt, id, customerId));
    }

    private void transitionTo(OrderStatus next, String why) {
        status = next;
        reason = why;
        updatedAt = now();
    }

    /** The events of the transitions since the order was loaded or last stored, oldest first; then none. */
    List<OrderEvent> takeEvents() {
        List<OrderEvent> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    // for tests of the aggregate
    List<OrderEvent> registeredEvents() {
        return List.copyOf(events);
    }

    /** PostgreSQL keeps microseconds: the order read back equals the order returned. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    public UUID getId() {
        return id;
    }

    public String getCustomerId() {
        return customerId;
    }

    public String getCurrency() {
        return currency;
    }

    public List<OrderItem> getItems() {
        return items;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}

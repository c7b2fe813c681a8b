package dev.orderflow.orderservice.order;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * An order and its lifecycle: {@code PENDING} → {@code CONFIRMED} (payment authorized) or {@code REJECTED}
 * (payment declined); {@code PENDING}/{@code CONFIRMED} → {@code CANCELLED}. Each transition registers the
 * event that announces it; saving the order stores the event in the outbox in the same transaction.
 */
@Entity
@Table(name = "orders")
public class Order extends AbstractAggregateRoot<Order> {

    @Id
    private UUID id;

    private String customerId;

    private String currency;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_item", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "position")
    private List<OrderItem> items = new ArrayList<>();

    private BigDecimal total;

    @Enumerated(EnumType.STRING)
    private OrderStatus status;

    private String reason;

    private Instant createdAt;

    private Instant updatedAt;

    /** Null until first stored, which tells Spring Data that the order is new. */
    @Version
    @Column(nullable = false)
    private Long version;

    protected Order() {}

    public static Order place(String customerId, String currency, List<OrderItem> items) {
        Order order = new Order();
        order.id = UUID.randomUUID();
        order.customerId = customerId;
        order.currency = currency;
        order.items = new ArrayList<>(items);
        order.total = items.stream()
                .map(OrderItem::subtotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
        order.status = OrderStatus.PENDING;
        order.createdAt = now();
        order.updatedAt = order.createdAt;
        order.registerEvent(new OrderPlaced(
                UUID.randomUUID(),
                order.createdAt,
                order.id,
                customerId,
                currency,
                items.stream()
                        .map(i -> new OrderPlaced.Item(i.sku(), i.quantity(), i.unitPrice()))
                        .toList(),
                order.total));
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
        registerEvent(new OrderConfirmed(UUID.randomUUID(), updatedAt, id, customerId, paymentId));
        return true;
    }

    /** The payment was declined; an order cancelled meanwhile stays cancelled. True if the order changed. */
    public boolean reject(String reason) {
        if (status != OrderStatus.PENDING) {
            return false;
        }
        transitionTo(OrderStatus.REJECTED, reason);
        registerEvent(new OrderRejected(UUID.randomUUID(), updatedAt, id, customerId, reason));
        return true;
    }

    /** Cancels a pending or confirmed order; refuses a rejected or already cancelled one. */
    public void cancel() {
        if (status != OrderStatus.PENDING && status != OrderStatus.CONFIRMED) {
            throw new OrderNotCancellableException(id, status);
        }
        transitionTo(OrderStatus.CANCELLED, reason);
        registerEvent(new OrderCancelled(UUID.randomUUID(), updatedAt, id, customerId));
    }

    private void transitionTo(OrderStatus next, String why) {
        status = next;
        reason = why;
        updatedAt = now();
    }

    // for tests of the aggregate
    List<Object> registeredEvents() {
        return List.copyOf(domainEvents());
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
        return List.copyOf(items);
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

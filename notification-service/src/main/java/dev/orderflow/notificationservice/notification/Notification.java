package dev.orderflow.notificationservice.notification;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.hibernate.generator.EventType;
import org.springframework.data.domain.Persistable;

/** What a customer is told about one step of one order. */
@Entity
@Table(name = "notification")
public class Notification implements Persistable<UUID> {

    @Id
    private UUID id;

    /** Assigned by the database on insert; increases with every stored notification. */
    @Generated(event = EventType.INSERT)
    @Column(insertable = false, updatable = false)
    private Long sequence;

    private String customerId;

    private UUID orderId;

    @Enumerated(EnumType.STRING)
    private NotificationType type;

    private String message;

    private Instant createdAt;

    protected Notification() {}

    private Notification(OrderEvent event, NotificationType type, String message) {
        this.id = UUID.randomUUID();
        this.customerId = event.customerId();
        this.orderId = event.orderId();
        this.type = type;
        this.message = message;
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The notification an order event calls for. */
    public static Notification of(OrderEvent event) {
        String order = "Order " + event.orderId().toString().substring(0, 8);
        return switch (event) {
            case OrderPlaced placed ->
                new Notification(
                        event,
                        NotificationType.ORDER_PLACED,
                        "%s placed: %d item(s), total %s %s."
                                .formatted(
                                        order, itemCount(placed), placed.total().toPlainString(), placed.currency()));
            case OrderConfirmed confirmed ->
                new Notification(event, NotificationType.ORDER_CONFIRMED, order + " confirmed: payment authorized.");
            case OrderRejected rejected ->
                new Notification(
                        event, NotificationType.ORDER_REJECTED, "%s rejected: %s.".formatted(order, rejected.reason()));
            case OrderCancelled cancelled ->
                new Notification(event, NotificationType.ORDER_CANCELLED, order + " cancelled.");
        };
    }

    /** What a person counts as items: two copies of one book are two items. */
    private static int itemCount(OrderPlaced placed) {
        return placed.items().stream().mapToInt(OrderPlaced.Item::quantity).sum();
    }

    @Override
    public UUID getId() {
        return id;
    }

    /** Notifications are written once and never changed. */
    @Override
    public boolean isNew() {
        return sequence == null;
    }

    public Long getSequence() {
        return sequence;
    }

    public String getCustomerId() {
        return customerId;
    }

    public UUID getOrderId() {
        return orderId;
    }

    public NotificationType getType() {
        return type;
    }

    public String getMessage() {
        return message;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}

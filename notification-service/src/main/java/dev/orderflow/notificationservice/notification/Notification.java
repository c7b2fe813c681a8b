package dev.orderflow.notificationservice.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * What a customer is told about one step of one order, once stored: its {@code sequence} is assigned by the
 * database and increases with every notification the service stores. Notifications never change.
 */
public class Notification {

    private final UUID id;
    private final long sequence;
    private final String customerId;
    private final UUID orderId;
    private final NotificationType type;
    private final String message;
    private final Instant createdAt;

    public Notification(
            UUID id,
            long sequence,
            String customerId,
            UUID orderId,
            NotificationType type,
            String message,
            Instant createdAt) {
        this.id = id;
        this.sequence = sequence;
        this.customerId = customerId;
        this.orderId = orderId;
        this.type = type;
        this.message = message;
        this.createdAt = createdAt;
    }

    public UUID getId() {
        return id;
    }

    public long getSequence() {
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

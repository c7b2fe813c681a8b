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
    private final String traceparent;

    public Notification(
            UUID id,
            long sequence,
            String customerId,
            UUID orderId,
            NotificationType type,
            String message,
            Instant createdAt) {
        this(id, sequence, customerId, orderId, type, message, createdAt, null);
    }

    /**
     * @param traceparent the trace of the transaction that stored it, as its announcement carries it; not stored
     */
    public Notification(
            UUID id,
            long sequence,
            String customerId,
            UUID orderId,
            NotificationType type,
            String message,
            Instant createdAt,
            String traceparent) {
        this.id = id;
        this.sequence = sequence;
        this.customerId = customerId;
        this.orderId = orderId;
        this.type = type;
        this.message = message;
        this.createdAt = createdAt;
        this.traceparent = traceparent;
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

    /**
     * The W3C traceparent of the transaction that stored it, when it came with the live announcement; null when it
     * was read back from the database.
     */
    public String getTraceparent() {
        return traceparent;
    }
}

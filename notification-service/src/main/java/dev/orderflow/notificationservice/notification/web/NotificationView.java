package dev.orderflow.notificationservice.notification.web;

import dev.orderflow.notificationservice.notification.Notification;
import java.time.Instant;
import java.util.UUID;

record NotificationView(
        UUID notificationId,
        long sequence,
        String customerId,
        UUID orderId,
        String type,
        String message,
        Instant createdAt) {

    static NotificationView of(Notification n) {
        return new NotificationView(
                n.getId(),
                n.getSequence(),
                n.getCustomerId(),
                n.getOrderId(),
                n.getType().name(),
                n.getMessage(),
                n.getCreatedAt());
    }
}

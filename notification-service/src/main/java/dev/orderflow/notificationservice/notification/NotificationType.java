package dev.orderflow.notificationservice.notification;

public enum NotificationType {
    ORDER_PLACED,
    ORDER_CONFIRMED,
    ORDER_REJECTED,
    ORDER_CANCELLED
}

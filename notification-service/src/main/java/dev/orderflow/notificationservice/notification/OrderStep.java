package dev.orderflow.notificationservice.notification;

import java.math.BigDecimal;
import java.util.UUID;

/** A step of an order that its customer is told of, and in what words. */
public record OrderStep(UUID orderId, String customerId, NotificationType type, String message) {

    public static OrderStep placed(UUID orderId, String customerId, int itemCount, BigDecimal total, String currency) {
        return new OrderStep(
                orderId,
                customerId,
                NotificationType.ORDER_PLACED,
                "%s placed: %d item(s), total %s %s."
                        .formatted(name(orderId), itemCount, total.toPlainString(), currency));
    }

    public static OrderStep confirmed(UUID orderId, String customerId) {
        return new OrderStep(
                orderId,
                customerId,
                NotificationType.ORDER_CONFIRMED,
                name(orderId) + " confirmed: payment authorized.");
    }

    public static OrderStep rejected(UUID orderId, String customerId, String reason) {
        return new OrderStep(
                orderId,
                customerId,
                NotificationType.ORDER_REJECTED,
                "%s rejected: %s.".formatted(name(orderId), reason));
    }

    public static OrderStep cancelled(UUID orderId, String customerId) {
        return new OrderStep(orderId, customerId, NotificationType.ORDER_CANCELLED, name(orderId) + " cancelled.");
    }

    /** How a person reads an order id: its first eight characters. */
    private static String name(UUID orderId) {
        return "Order " + orderId.toString().substring(0, 8);
    }
}

package dev.orderflow.notificationservice.mail;

import dev.orderflow.notificationservice.notification.Notification;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The mail that tells a customer of one notification. */
record NotificationMail(String recipient, String subject, String body) {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    static NotificationMail of(Notification notification, String recipient) {
        String order = "Order " + notification.getOrderId().toString().substring(0, 8);
        String subject = switch (notification.getType()) {
            case ORDER_PLACED -> order + " placed";
            case ORDER_CONFIRMED -> order + " confirmed";
            case ORDER_REJECTED -> order + " rejected";
            case ORDER_CANCELLED -> order + " cancelled";
        };
        String body = """
                Hello %s,

                %s

                Order:  %s
                Time:   %s

                You receive this mail because this address is on file for customer %s.
                """.formatted(
                        notification.getCustomerId(),
                        notification.getMessage(),
                        notification.getOrderId(),
                        WHEN.format(notification.getCreatedAt()),
                        notification.getCustomerId());
        return new NotificationMail(recipient, subject, body);
    }
}

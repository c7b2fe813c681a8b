package dev.orderflow.notificationservice.notification;

import java.util.List;

/**
 * Published inside the transaction that stored notifications, once their sequences are assigned, with all of
 * them in sequence order: listeners add their own effects (queue e-mail) to the same transaction.
 */
public record NotificationStored(List<Notification> notifications) {}

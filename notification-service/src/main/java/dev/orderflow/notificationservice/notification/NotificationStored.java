package dev.orderflow.notificationservice.notification;

/**
 * Published inside the transaction that stored a notification, once its sequence is assigned: listeners
 * add their own effects (announce it to live subscribers, queue an e-mail) to the same transaction.
 */
public record NotificationStored(Notification notification) {}

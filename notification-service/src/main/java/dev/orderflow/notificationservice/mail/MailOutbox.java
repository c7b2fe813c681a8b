package dev.orderflow.notificationservice.mail;

import dev.orderflow.notificationservice.contact.CustomerContacts;
import dev.orderflow.notificationservice.notification.Notification;
import dev.orderflow.notificationservice.notification.NotificationStored;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues the mail of every stored notification whose customer has a contact address, in the transaction
 * that stores the notification: the notification and its mail commit together or not at all, and no SMTP
 * server is contacted on the way. {@link MailRelay} sends the mail after the commit.
 */
class MailOutbox {

    private final CustomerContacts contacts;
    private final JdbcClient jdbc;
    private final Runnable onCommit;

    MailOutbox(CustomerContacts contacts, JdbcClient jdbc, Runnable onCommit) {
        this.contacts = contacts;
        this.jdbc = jdbc;
        this.onCommit = onCommit;
    }

    /** The addresses of the notifications' customers in one query, their mails in one statement. */
    @EventListener
    public void on(NotificationStored stored) {
        List<Notification> notifications = stored.notifications();
        Map<String, String> emails = contacts.emailsOf(
                notifications.stream().map(Notification::getCustomerId).toList());
        if (emails.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A mail must be queued in the transaction of its notification");
        }
        List<UUID> ids = new ArrayList<>();
        List<NotificationMail> mails = new ArrayList<>();
        for (Notification notification : notifications) {
            String email = emails.get(notification.getCustomerId());
            if (email != null) {
                ids.add(notification.getId());
                mails.add(NotificationMail.of(notification, email));
            }
        }
        jdbc.sql("""
                INSERT INTO mail_outbox (notification_id, recipient, subject, body)
                SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[])""")
                .params(
                        ids.toArray(UUID[]::new),
                        mails.stream().map(NotificationMail::recipient).toArray(String[]::new),
                        mails.stream().map(NotificationMail::subject).toArray(String[]::new),
                        mails.stream().map(NotificationMail::body).toArray(String[]::new))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                onCommit.run();
            }
        });
    }
}

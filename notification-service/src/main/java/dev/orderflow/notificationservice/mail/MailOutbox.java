package dev.orderflow.notificationservice.mail;

import dev.orderflow.notificationservice.contact.CustomerContacts;
import dev.orderflow.notificationservice.notification.Notification;
import dev.orderflow.notificationservice.notification.NotificationStored;
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

    @EventListener
    public void on(NotificationStored stored) {
        Notification notification = stored.notification();
        contacts.find(notification.getCustomerId())
                .ifPresent(contact -> queue(notification, NotificationMail.of(notification, contact.email())));
    }

    private void queue(Notification notification, NotificationMail mail) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A mail must be queued in the transaction of its notification");
        }
        jdbc.sql("""
                INSERT INTO mail_outbox (notification_id, recipient, subject, body)
                VALUES (?, ?, ?, ?)""")
                .params(notification.getId(), mail.recipient(), mail.subject(), mail.body())
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                onCommit.run();
            }
        });
    }
}

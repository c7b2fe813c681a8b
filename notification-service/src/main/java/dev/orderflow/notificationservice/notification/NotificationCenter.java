package dev.orderflow.notificationservice.notification;

import dev.orderflow.events.OrderEvent;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores one notification per order and type, and lists them. */
@Service
public class NotificationCenter {

    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("sequence"));

    /** Advisory lock key that serialises the storing of notifications ("notify" in ASCII). */
    private static final long SEQUENCE_LOCK = 0x6e6f74696679L;

    private final Notifications notifications;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    NotificationCenter(Notifications notifications, JdbcClient jdbc, ApplicationEventPublisher events) {
        this.notifications = notifications;
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * Notifies once per order and type, in the transaction in which the platform recorded the event as
     * processed.
     */
    @Transactional
    public void on(OrderEvent event) {
        Notification notification = Notification.of(event);
        if (notifications.existsByOrderIdAndType(notification.getOrderId(), notification.getType())) {
            return;
        }
        // Notifications commit in the order of their sequence: a reader that has seen sequence n can
        // never later find a smaller one committed, which is what resuming a stream after n relies on.
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(SEQUENCE_LOCK).query().singleValue();
        events.publishEvent(new NotificationStored(notifications.saveAndFlush(notification)));
    }

    @Transactional(readOnly = true)
    public Page<Notification> list(Optional<String> customerId, int page, int size) {
        PageRequest request = PageRequest.of(page, size, NEWEST_FIRST);
        return customerId
                .map(id -> notifications.findByCustomerId(id, request))
                .orElseGet(() -> notifications.findAll(request));
    }
}

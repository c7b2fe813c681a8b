package dev.orderflow.notificationservice.notification;

import dev.orderflow.events.OrderEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        onAll(List.of(event));
    }

    /**
     * Notifies of each event in their order, once per order and type, in the transaction in which the
     * platform recorded them as processed; one query finds the notifications the orders already have.
     */
    @Transactional
    public void onAll(List<OrderEvent> orderEvents) {
        Set<List<Object>> notified = new HashSet<>();
        notifications
                .findByOrderIdIn(
                        orderEvents.stream().map(OrderEvent::orderId).distinct().toList())
                .forEach(existing -> notified.add(List.of(existing.getOrderId(), existing.getType())));
        List<Notification> fresh = orderEvents.stream()
                .map(Notification::of)
                .filter(notification -> notified.add(List.of(notification.getOrderId(), notification.getType())))
                .toList();
        if (fresh.isEmpty()) {
            return;
        }
        // Notifications commit in the order of their sequence: a reader that has seen sequence n can
        // never later find a smaller one committed, which is what resuming a stream after n relies on.
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(SEQUENCE_LOCK).query().singleValue();
        notifications
                .saveAllAndFlush(fresh)
                .forEach(notification -> events.publishEvent(new NotificationStored(notification)));
    }

    @Transactional(readOnly = true)
    public Page<Notification> list(Optional<String> customerId, int page, int size) {
        PageRequest request = PageRequest.of(page, size, NEWEST_FIRST);
        return customerId
                .map(id -> notifications.findByCustomerId(id, request))
                .orElseGet(() -> notifications.findAll(request));
    }
}

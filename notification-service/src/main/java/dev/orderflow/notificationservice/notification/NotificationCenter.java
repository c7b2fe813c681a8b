package dev.orderflow.notificationservice.notification;

import dev.orderflow.events.OrderEvent;
import dev.orderflow.platform.messaging.ProcessedEvents;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores one notification per order and type, and lists them. */
@Service
public class NotificationCenter {

    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("sequence"));

    private final Notifications notifications;
    private final ProcessedEvents processedEvents;

    NotificationCenter(Notifications notifications, ProcessedEvents processedEvents) {
        this.notifications = notifications;
        this.processedEvents = processedEvents;
    }

    /** Notifies once per order and type; a redelivered event changes nothing. */
    @Transactional
    public void on(OrderEvent event) {
        if (!processedEvents.firstDelivery(event)) {
            return;
        }
        Notification notification = Notification.of(event);
        if (!notifications.existsByOrderIdAndType(notification.getOrderId(), notification.getType())) {
            notifications.save(notification);
        }
    }

    @Transactional(readOnly = true)
    public Page<Notification> list(Optional<String> customerId, int page, int size) {
        PageRequest request = PageRequest.of(page, size, NEWEST_FIRST);
        return customerId
                .map(id -> notifications.findByCustomerId(id, request))
                .orElseGet(() -> notifications.findAll(request));
    }
}

package dev.orderflow.notificationservice.notification;

import dev.orderflow.platform.web.PagedList;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores one notification per order and type, and lists them. */
@Service
public class NotificationCenter {

    private final Notifications notifications;
    private final ApplicationEventPublisher events;

    NotificationCenter(Notifications notifications, ApplicationEventPublisher events) {
        this.notifications = notifications;
        this.events = events;
    }

    /**
     * Notifies of each step in their order, once per order and type; what is stored is announced to live
     * subscribers as the transaction commits, and published in it ({@link NotificationStored}) for the effects
     * that commit with it.
     */
    @Transactional
    public void notify(List<OrderStep> steps) {
        if (steps.isEmpty()) {
            return;
        }
        List<Notification> stored = notifications.storeNew(steps);
        if (!stored.isEmpty()) {
            events.publishEvent(new NotificationStored(stored));
        }
    }

    /** A customer's notifications, newest first. */
    @Transactional(readOnly = true)
    public PagedList<Notification> list(String customerId, int page, int size) {
        return notifications.ofCustomer(customerId, page, size);
    }
}

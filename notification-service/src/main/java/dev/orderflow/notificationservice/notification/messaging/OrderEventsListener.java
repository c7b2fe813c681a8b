package dev.orderflow.notificationservice.notification.messaging;

import dev.orderflow.events.OrderEvent;
import dev.orderflow.notificationservice.notification.NotificationCenter;
import dev.orderflow.platform.messaging.EventHandler;
import java.util.List;
import org.springframework.stereotype.Component;

/** Every step of an order is a notification to its customer. From order-events and replayed dead letters. */
@Component
class OrderEventsListener implements EventHandler<OrderEvent> {

    private final NotificationCenter notifications;

    OrderEventsListener(NotificationCenter notifications) {
        this.notifications = notifications;
    }

    @Override
    public Class<OrderEvent> family() {
        return OrderEvent.class;
    }

    @Override
    public void on(OrderEvent event) {
        notifications.on(event);
    }

    @Override
    public void onAll(List<OrderEvent> events) {
        notifications.onAll(events);
    }
}

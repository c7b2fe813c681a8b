package dev.orderflow.notificationservice.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NotificationUnitTest {

    private static final UUID ORDER = UUID.fromString("3f2a9c1e-7b4d-4e8a-9c1f-2d3e4f5a6b7c");

    @Test
    void tellsOfAPlacedOrderWithItsItemCountAndTotal() {
        OrderPlaced placed = new OrderPlaced(
                UUID.randomUUID(),
                Instant.now(),
                ORDER,
                "alice",
                "EUR",
                List.of(
                        new OrderPlaced.Item("BOOK-1", 2, new BigDecimal("12.50")),
                        new OrderPlaced.Item("PEN-7", 1, new BigDecimal("1.20"))),
                new BigDecimal("26.20"));

        Notification notification = Notification.of(placed);

        assertThat(notification.getType()).isEqualTo(NotificationType.ORDER_PLACED);
        assertThat(notification.getCustomerId()).isEqualTo("alice");
        assertThat(notification.getOrderId()).isEqualTo(ORDER);
        assertThat(notification.getMessage())
                .startsWith("Order 3f2a9c1e placed")
                .contains("3 item(s)")
                .contains("26.20 EUR");
    }

    @Test
    void tellsOfAConfirmedOrder() {
        Notification notification = Notification.of(
                new OrderConfirmed(UUID.randomUUID(), Instant.now(), ORDER, "alice", UUID.randomUUID()));

        assertThat(notification.getType()).isEqualTo(NotificationType.ORDER_CONFIRMED);
        assertThat(notification.getMessage()).startsWith("Order 3f2a9c1e confirmed");
    }

    @Test
    void tellsOfARejectedOrderAndWhy() {
        Notification notification = Notification.of(
                new OrderRejected(UUID.randomUUID(), Instant.now(), ORDER, "alice", "INSUFFICIENT_CREDIT"));

        assertThat(notification.getType()).isEqualTo(NotificationType.ORDER_REJECTED);
        assertThat(notification.getMessage())
                .startsWith("Order 3f2a9c1e rejected")
                .contains("INSUFFICIENT_CREDIT");
    }

    @Test
    void tellsOfACancelledOrder() {
        Notification notification =
                Notification.of(new OrderCancelled(UUID.randomUUID(), Instant.now(), ORDER, "alice"));

        assertThat(notification.getType()).isEqualTo(NotificationType.ORDER_CANCELLED);
        assertThat(notification.getMessage()).startsWith("Order 3f2a9c1e cancelled");
    }
}

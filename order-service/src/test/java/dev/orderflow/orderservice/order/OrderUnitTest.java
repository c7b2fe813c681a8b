package dev.orderflow.orderservice.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderUnitTest {

    private static final List<OrderItem> ITEMS = List.of(
            new OrderItem("BOOK-1", 2, new BigDecimal("12.5")), new OrderItem("PEN-7", 3, new BigDecimal("0.99")));

    @Test
    void placingComputesTheTotalWithTwoDecimals() {
        Order order = Order.place("alice", "EUR", ITEMS);

        assertThat(order.getTotal()).isEqualTo(new BigDecimal("27.97"));
        assertThat(order.getStatus()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.getReason()).isNull();
        assertThat(order.getItems()).isEqualTo(ITEMS);
        assertThat(order.getUpdatedAt()).isEqualTo(order.getCreatedAt());
    }

    @Test
    void aWholeTotalStillHasTwoDecimals() {
        Order order = Order.place("alice", "EUR", List.of(new OrderItem("BOOK-1", 2, new BigDecimal("10"))));

        assertThat(order.getTotal()).isEqualTo(new BigDecimal("20.00"));
    }

    @Test
    void placingRegistersExactlyOneOrderPlacedWithTheItems() {
        Order order = Order.place("alice", "EUR", ITEMS);

        assertThat(order.registeredEvents()).singleElement().isInstanceOfSatisfying(OrderPlaced.class, placed -> {
            assertThat(placed.orderId()).isEqualTo(order.getId());
            assertThat(placed.customerId()).isEqualTo("alice");
            assertThat(placed.currency()).isEqualTo("EUR");
            assertThat(placed.items())
                    .containsExactly(
                            new OrderPlaced.Item("BOOK-1", 2, new BigDecimal("12.5")),
                            new OrderPlaced.Item("PEN-7", 3, new BigDecimal("0.99")));
            assertThat(placed.total()).isEqualTo(new BigDecimal("27.97"));
            assertThat(placed.occurredAt()).isEqualTo(order.getCreatedAt());
        });
    }

    @Test
    void anAuthorizedPaymentConfirmsAPendingOrder() {
        Order order = Order.place("alice", "EUR", ITEMS);
        UUID paymentId = UUID.randomUUID();

        List<OrderEvent> events = eventsRegisteredBy(
                order, () -> assertThat(order.confirm(paymentId)).isTrue());

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(events).singleElement().isInstanceOfSatisfying(OrderConfirmed.class, confirmed -> {
            assertThat(confirmed.orderId()).isEqualTo(order.getId());
            assertThat(confirmed.customerId()).isEqualTo("alice");
            assertThat(confirmed.paymentId()).isEqualTo(paymentId);
        });
    }

    @Test
    void aDeclinedPaymentRejectsAPendingOrderWithTheReason() {
        Order order = Order.place("alice", "EUR", ITEMS);

        List<OrderEvent> events = eventsRegisteredBy(
                order, () -> assertThat(order.reject("INSUFFICIENT_CREDIT")).isTrue());

        assertThat(order.getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.getReason()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(events).singleElement().isInstanceOfSatisfying(OrderRejected.class, rejected -> {
            assertThat(rejected.orderId()).isEqualTo(order.getId());
            assertThat(rejected.reason()).isEqualTo("INSUFFICIENT_CREDIT");
        });
    }

    @Test
    void aSecondPaymentOutcomeDoesNotMoveAConfirmedOrder() {
        Order order = Order.place("alice", "EUR", ITEMS);
        order.confirm(UUID.randomUUID());
        Instant confirmedAt = order.getUpdatedAt();

        List<OrderEvent> events = eventsRegisteredBy(order, () -> {
            assertThat(order.confirm(UUID.randomUUID())).isFalse();
            assertThat(order.reject("INSUFFICIENT_CREDIT")).isFalse();
        });

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(order.getReason()).isNull();
        assertThat(order.getUpdatedAt()).isEqualTo(confirmedAt);
        assertThat(events).isEmpty();
    }

    @Test
    void aPaymentOutcomeDoesNotMoveARejectedOrder() {
        Order order = Order.place("alice", "EUR", ITEMS);
        order.reject("INSUFFICIENT_CREDIT");

        List<OrderEvent> events = eventsRegisteredBy(order, () -> {
            assertThat(order.confirm(UUID.randomUUID())).isFalse();
            assertThat(order.reject("OTHER")).isFalse();
        });

        assertThat(order.getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.getReason()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(events).isEmpty();
    }

    @Test
    void aPaymentOutcomeForACancelledOrderChangesNothing() {
        Order order = Order.place("alice", "EUR", ITEMS);
        order.cancel();
        Instant cancelledAt = order.getUpdatedAt();

        List<OrderEvent> events = eventsRegisteredBy(order, () -> {
            assertThat(order.confirm(UUID.randomUUID())).isFalse();
            assertThat(order.reject("INSUFFICIENT_CREDIT")).isFalse();
        });

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.getReason()).isNull();
        assertThat(order.getUpdatedAt()).isEqualTo(cancelledAt);
        assertThat(events).isEmpty();
    }

    @Test
    void cancelsAPendingOrder() {
        Order order = Order.place("alice", "EUR", ITEMS);

        List<OrderEvent> events = eventsRegisteredBy(order, order::cancel);

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(events).singleElement().isInstanceOfSatisfying(OrderCancelled.class, cancelled -> {
            assertThat(cancelled.orderId()).isEqualTo(order.getId());
            assertThat(cancelled.customerId()).isEqualTo("alice");
        });
    }

    @Test
    void cancelsAConfirmedOrder() {
        Order order = Order.place("alice", "EUR", ITEMS);
        order.confirm(UUID.randomUUID());

        List<OrderEvent> events = eventsRegisteredBy(order, order::cancel);

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(events).singleElement().isInstanceOf(OrderCancelled.class);
    }

    @Test
    void refusesToCancelARejectedOrder() {
        Order order = Order.place("alice", "EUR", ITEMS);
        order.reject("INSUFFICIENT_CREDIT");

        List<OrderEvent> events = eventsRegisteredBy(
                order,
                () -> assertThatExceptionOfType(OrderNotCancellableException.class)
                        .isThrownBy(order::cancel)
                        .withMessageContaining("REJECTED"));

        assertThat(order.getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.getReason()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(events).isEmpty();
    }

    @Test
    void refusesToCancelAnOrderTwice() {
        Order order = Order.place("alice", "EUR", ITEMS);
        order.cancel();

        List<OrderEvent> events = eventsRegisteredBy(
                order,
                () -> assertThatExceptionOfType(OrderNotCancellableException.class)
                        .isThrownBy(order::cancel)
                        .withMessageContaining("CANCELLED"));

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(events).isEmpty();
    }

    /** The events the order registers while the action runs (an aggregate keeps them until it is saved). */
    private static List<OrderEvent> eventsRegisteredBy(Order order, Runnable action) {
        int before = order.registeredEvents().size();
        action.run();
        List<OrderEvent> after = order.registeredEvents();
        return after.subList(before, after.size());
    }
}

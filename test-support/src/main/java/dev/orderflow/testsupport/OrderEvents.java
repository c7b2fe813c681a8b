package dev.orderflow.testsupport;

import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderPlaced;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Order events as order-service publishes them, for customers of the tests' own. */
public final class OrderEvents {

    private OrderEvents() {}

    /** A customer id no other test uses. */
    public static String newCustomer() {
        return "c-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A new order of two books at 12.50, 25.00 in EUR. */
    public static OrderPlaced placed(String customer) {
        return placed(customer, new OrderPlaced.Item("BOOK-1", 2, new BigDecimal("12.50")), new BigDecimal("25.00"));
    }

    /** A new order of one item whose price is the total, in EUR. */
    public static OrderPlaced placed(String customer, String total) {
        BigDecimal amount = new BigDecimal(total);
        return placed(customer, new OrderPlaced.Item("BOOK-1", 1, amount), amount);
    }

    private static OrderPlaced placed(String customer, OrderPlaced.Item item, BigDecimal total) {
        return new OrderPlaced(
                UUID.randomUUID(), Instant.now(), UUID.randomUUID(), customer, "EUR", List.of(item), total);
    }

    /** The same order placed again under a new event id, as a producer that retried it would. */
    public static OrderPlaced placedAgain(OrderPlaced placed) {
        return new OrderPlaced(
                UUID.randomUUID(),
                placed.occurredAt(),
                placed.orderId(),
                placed.customerId(),
                placed.currency(),
                placed.items(),
                placed.total());
    }

    public static OrderConfirmed confirmed(OrderPlaced placed) {
        return new OrderConfirmed(
                UUID.randomUUID(), Instant.now(), placed.orderId(), placed.customerId(), UUID.randomUUID());
    }
}

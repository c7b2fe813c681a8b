package dev.orderflow.paymentservice;

import static org.awaitility.Awaitility.await;

import dev.orderflow.events.OrderPlaced;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.core.ConditionFactory;

/** Order events as order-service publishes them, and the wait the payment tests share. */
final class OrderEvents {

    private OrderEvents() {}

    static String newCustomer() {
        return "c-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A new order of one item whose price is the total, in EUR. */
    static OrderPlaced placed(String customer, String total) {
        BigDecimal amount = new BigDecimal(total);
        return new OrderPlaced(
                UUID.randomUUID(),
                Instant.now(),
                UUID.randomUUID(),
                customer,
                "EUR",
                List.of(new OrderPlaced.Item("BOOK-1", 1, amount)),
                amount);
    }

    /** The same order placed again under a new event id, as a producer that retried it would. */
    static OrderPlaced placedAgain(OrderPlaced placed) {
        return new OrderPlaced(
                UUID.randomUUID(),
                placed.occurredAt(),
                placed.orderId(),
                placed.customerId(),
                placed.currency(),
                placed.items(),
                placed.total());
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}

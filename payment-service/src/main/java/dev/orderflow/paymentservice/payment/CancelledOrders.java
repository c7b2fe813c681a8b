package dev.orderflow.paymentservice.payment;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders cancelled before this service decided their payment: a cancellation can overtake its order (a replayed
 * dead letter, a late replay of a topic), and the order's placement must then hold no credit when it comes
 * ({@link Payments#standingOf} reads them with the payments).
 */
@Repository
class CancelledOrders {

    private final JdbcClient jdbc;

    CancelledOrders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void remember(UUID orderId) {
        jdbc.sql("INSERT INTO cancelled_order (order_id) VALUES (?) ON CONFLICT DO NOTHING")
                .param(orderId)
                .update();
    }
}

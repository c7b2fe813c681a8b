package dev.orderflow.paymentservice.payment;

import dev.orderflow.platform.messaging.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored payments, at most one per order; storing a payment also stores its events in the outbox. */
@Repository
class Payments {

    private static final String COLUMNS =
            "id, order_id, customer_id, amount, currency, status, reason, created_at, updated_at";

    private final JdbcClient jdbc;
    private final Outbox outbox;

    Payments(JdbcClient jdbc, Outbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    /** Stores new payments in one round trip. */
    void insertAll(Collection<Payment> payments) {
        if (payments.isEmpty()) {
            return;
        }
        jdbc.sql("INSERT INTO payment (" + COLUMNS + ", version) SELECT *, 0 FROM unnest(?::uuid[], ?::uuid[],"
                        + " ?::text[], ?::numeric[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],"
                        + " ?::timestamptz[])")
                .params(
                        payments.stream().map(Payment::getId).toArray(UUID[]::new),
                        payments.stream().map(Payment::getOrderId).toArray(UUID[]::new),
                        payments.stream().map(Payment::getCustomerId).toArray(String[]::new),
                        payments.stream()
                                .map(p -> p.getAmount().toPlainString())
                                .toArray(String[]::new),
                        payments.stream().map(Payment::getCurrency).toArray(String[]::new),
                        payments.stream().map(p -> p.getStatus().name()).toArray(String[]::new),
                        payments.stream().map(Payment::getReason).toArray(String[]::new),
                        payments.stream().map(p -> p.getCreatedAt().toString()).toArray(String[]::new),
                        payments.stream().map(p -> p.getUpdatedAt().toString()).toArray(String[]::new))
                .update();
        payments.forEach(payment -> outbox.append(payment.takeEvents()));
    }

    /** Stores the new state of a payment loaded for an update. */
    void update(Payment payment) {
        jdbc.sql("UPDATE payment SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?")
                .params(payment.getStatus().name(), Timestamp.from(payment.getUpdatedAt()), payment.getId())
                .update();
        outbox.append(payment.takeEvents());
    }

    /** What is known of these orders here: which have a payment, and which were cancelled before they had one. */
    record Standing(Set<UUID> paid, Set<UUID> cancelled) {}

    /** In one query. */
    Standing standingOf(Collection<UUID> orderIds) {
        UUID[] ids = orderIds.toArray(UUID[]::new);
        Standing standing = new Standing(new HashSet<>(), new HashSet<>());
        jdbc.sql("""
                SELECT order_id, true AS paid FROM payment WHERE order_id = ANY(?)
                UNION ALL
                SELECT order_id, false FROM cancelled_order WHERE order_id = ANY(?)""")
                .params(ids, ids)
                .query((rs, n) -> (rs.getBoolean("paid") ? standing.paid() : standing.cancelled())
                        .add(rs.getObject("order_id", UUID.class)))
                .list();
        return standing;
    }

    /** The payments of these orders, locked until the transaction ends, in the order of their ids. */
    List<Payment> lockOfOrders(Collection<UUID> orderIds) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE order_id = ANY(?) ORDER BY id FOR UPDATE")
                .param(orderIds.toArray(UUID[]::new))
                .query(Payments::payment)
                .list();
    }

    List<Payment> ofOrder(UUID orderId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE order_id = ?")
                .param(orderId)
                .query(Payments::payment)
                .list();
    }

    private static Payment payment(ResultSet rs, int row) throws SQLException {
        return new Payment(
                rs.getObject("id", UUID.class),
                rs.getObject("order_id", UUID.class),
                rs.getString("customer_id"),
                rs.getBigDecimal("amount"),
                rs.getString("currency"),
                PaymentStatus.valueOf(rs.getString("status")),
                rs.getString("reason"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}

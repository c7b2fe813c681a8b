package dev.orderflow.notificationservice.notification;

import dev.orderflow.platform.messaging.MessageTracing;
import dev.orderflow.platform.web.PagedList;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored notifications, one per order and type. */
@Repository
public class Notifications {

    /** The channel on which the instances of the service tell each other that notifications were stored. */
    public static final String CHANNEL = "notification_stored";

    /** Advisory lock key that serialises the storing of notifications ("notify" in ASCII). */
    private static final long SEQUENCE_LOCK = 0x6e6f74696679L;

    private static final String COLUMNS = "id, sequence, customer_id, order_id, type, message, created_at";

    private final JdbcClient jdbc;
    private final MessageTracing tracing;

    Notifications(JdbcClient jdbc, MessageTracing tracing) {
        this.jdbc = jdbc;
        this.tracing = tracing;
    }

    /**
     * Stores a notification of each step whose order has none of its type yet, in the order given, and announces
     * them on {@link #CHANNEL}; returns those stored, in sequence order. All of it in one statement:
     *
     * <ul>
     *   <li>the advisory lock {@link #SEQUENCE_LOCK} is taken before the first sequence is drawn and held until the
     *       transaction ends, so that notifications commit in the order of their sequences: a reader that has seen
     *       sequence n can never later find a smaller one committed, which is what resuming a stream after n
     *       relies on;
     *   <li>the announcement is delivered when, and only if, the transaction commits, to every instance of the
     *       service listening on the database, in commit order; its payload is the stored notifications as a JSON
     *       array, or empty when that would not fit PostgreSQL's 8000 bytes, and the listener then reads them. Each
     *       carries the traceparent of the event it announces ({@link MessageTracing#traceparentFor}), not stored, so
     *       that sending it to a live stream continues the order's trace.
     * </ul>
     */
    List<Notification> storeNew(List<OrderStep> steps) {
        String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        return jdbc
                .sql("""
                WITH turn AS (SELECT pg_advisory_xact_lock(?)),
                steps AS (
                    SELECT * FROM unnest(
                            ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::text[])
                        WITH ORDINALITY
                        AS s(id, customer_id, order_id, type, message, created_at, traceparent, position)),
                stored AS (
                    INSERT INTO notification (id, customer_id, order_id, type, message, created_at)
                    SELECT id, customer_id, order_id, type, message, created_at
                    FROM turn, steps
                    ORDER BY position
                    ON CONFLICT (order_id, type) DO NOTHING
                    RETURNING id, sequence, customer_id, order_id, type, message, created_at),
                announced AS (
                    SELECT pg_notify(?, CASE WHEN octet_length(payload) < 7900 THEN payload ELSE '' END)
                    FROM (SELECT json_agg(to_jsonb(stored) || jsonb_build_object('traceparent', steps.traceparent)
                                          ORDER BY stored.sequence)::text AS payload
                          FROM stored JOIN steps USING (id)) p
                    WHERE payload IS NOT NULL)
                SELECT stored.* FROM stored LEFT JOIN announced ON true""")
                .params(
                        SEQUENCE_LOCK,
                        steps.stream().map(step -> UUID.randomUUID()).toArray(UUID[]::new),
                        steps.stream().map(OrderStep::customerId).toArray(String[]::new),
                        steps.stream().map(OrderStep::orderId).toArray(UUID[]::new),
                        steps.stream().map(step -> step.type().name()).toArray(String[]::new),
                        steps.stream().map(OrderStep::message).toArray(String[]::new),
                        steps.stream().map(step -> now).toArray(String[]::new),
                        steps.stream()
                                .map(step -> tracing.traceparentFor(step.orderId()))
                                .toArray(String[]::new),
                        CHANNEL)
                .query(Notifications::notification)
                .list()
                .stream()
                .sorted(Comparator.comparingLong(Notification::getSequence))
                .toList();
    }

    /** A customer's notifications, newest first. */
    PagedList<Notification> ofCustomer(String customerId, int page, int size) {
        long total = jdbc.sql("SELECT count(*) FROM notification WHERE customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
        return PagedList.of(
                page,
                size,
                total,
                offset -> jdbc.sql("SELECT " + COLUMNS
                                + " FROM notification WHERE customer_id = ? ORDER BY sequence DESC LIMIT ? OFFSET ?")
                        .params(customerId, size, offset)
                        .query(Notifications::notification)
                        .list());
    }

    /** The notifications stored after a sequence, oldest first. */
    public List<Notification> after(long sequence, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE sequence > ? ORDER BY sequence LIMIT ?")
                .params(sequence, limit)
                .query(Notifications::notification)
                .list();
    }

    /** A customer's notifications stored after a sequence, oldest first. */
    public List<Notification> ofCustomerAfter(String customerId, long sequence, int limit) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM notification WHERE customer_id = ? AND sequence > ? ORDER BY sequence LIMIT ?")
                .params(customerId, sequence, limit)
                .query(Notifications::notification)
                .list();
    }

    /** The sequence of the newest notification; 0 when there is none. */
    public long lastSequence() {
        return jdbc.sql("SELECT coalesce(max(sequence), 0) FROM notification")
                .query(Long.class)
                .single();
    }

    private static Notification notification(ResultSet rs, int row) throws SQLException {
        return new Notification(
                rs.getObject("id", UUID.class),
                rs.getLong("sequence"),
                rs.getString("customer_id"),
                rs.getObject("order_id", UUID.class),
                NotificationType.valueOf(rs.getString("type")),
                rs.getString("message"),
                rs.getTimestamp("created_at").toInstant());
    }
}

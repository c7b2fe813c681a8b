package dev.orderflow.orderservice.order;

import dev.orderflow.platform.messaging.Outbox;
import dev.orderflow.platform.web.PagedList;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored orders. Storing an order also stores the events of its transitions in the outbox, in the same
 * transaction. An order's items never change; they are kept with it as a JSON array.
 */
@Repository
class Orders {

    private static final String COLUMNS =
            "id, customer_id, currency, items, total, status, reason, created_at, updated_at";
    private static final TypeReference<List<OrderItem>> ITEMS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    Orders(JdbcClient jdbc, Outbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    /** Stores a new order. */
    void insert(Order order) {
        jdbc.sql("INSERT INTO orders (" + COLUMNS + ", version) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, 0)")
                .params(
                        order.getId(),
                        order.getCustomerId(),
                        order.getCurrency(),
                        json.writeValueAsString(order.getItems()),
                        order.getTotal(),
                        order.getStatus().name(),
                        order.getReason(),
                        Timestamp.from(order.getCreatedAt()),
                        Timestamp.from(order.getUpdatedAt()))
                .update();
        outbox.append(order.takeEvents());
    }

    /** Stores the new state of orders loaded for an update, in one round trip. */
    void updateAll(Collection<Order> orders) {
        if (orders.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE orders SET status = u.status, reason = u.reason, updated_at = u.updated_at,
                    version = orders.version + 1
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::timestamptz[]) AS u(id, status, reason, updated_at)
                WHERE orders.id = u.id""")
                .params(
                        orders.stream().map(Order::getId).toArray(UUID[]::new),
                        orders.stream().map(o -> o.getStatus().name()).toArray(String[]::new),
                        orders.stream().map(Order::getReason).toArray(String[]::new),
                        orders.stream().map(o -> o.getUpdatedAt().toString()).toArray(String[]::new))
                .update();
        orders.forEach(order -> outbox.append(order.takeEvents()));
    }

    Optional<Order> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE id = ?")
                .param(id)
                .query(this::order)
                .optional();
    }

    /** Loads orders for transitions, locked until the transaction ends, in the order of their ids. */
    List<Order> lockAll(Collection<UUID> ids) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE id = ANY(?) ORDER BY id FOR UPDATE")
                .param(ids.toArray(UUID[]::new))
                .query(this::order)
                .list();
    }

    /** A customer's orders, newest first. */
    PagedList<Order> ofCustomer(String customerId, int page, int size) {
        long total = jdbc.sql("SELECT count(*) FROM orders WHERE customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
        return PagedList.of(
                page,
                size,
                total,
                offset -> jdbc.sql(
                                "SELECT " + COLUMNS
                                        + " FROM orders WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
                        .params(customerId, size, offset)
                        .query(this::order)
                        .list());
    }

    private Order order(ResultSet rs, int row) throws SQLException {
        return new Order(
                rs.getObject("id", UUID.class),
                rs.getString("customer_id"),
                rs.getString("currency"),
                json.readValue(rs.getString("items"), ITEMS),
                rs.getBigDecimal("total"),
                OrderStatus.valueOf(rs.getString("status")),
                rs.getString("reason"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}

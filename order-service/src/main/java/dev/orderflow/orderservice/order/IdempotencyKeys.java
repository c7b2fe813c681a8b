package dev.orderflow.orderservice.order;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Remembers which order an {@code Idempotency-Key} created, and from which request. */
@Component
class IdempotencyKeys {

    record Claim(String requestHash, UUID orderId) {}

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the key for a new order, in the caller's transaction. Empty when the claim succeeded;
     * otherwise the earlier claim. A concurrent claim of the same key waits for the other transaction.
     */
    Optional<Claim> claim(String key, String requestHash, UUID orderId) {
        int inserted = jdbc.sql("""
                INSERT INTO idempotency_key (key, request_hash, order_id) VALUES (?, ?, ?)
                ON CONFLICT (key) DO NOTHING""").params(key, requestHash, orderId).update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("SELECT request_hash, order_id FROM idempotency_key WHERE key = ?")
                .param(key)
                .query((rs, n) -> new Claim(rs.getString(1), rs.getObject(2, UUID.class)))
                .single());
    }
}

package dev.orderflow.orderservice.order;

import dev.orderflow.platform.messaging.Pruner;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Remembers which order an {@code Idempotency-Key} created, and from which request, for
 * {@code orders.idempotency-keys.expire-after} (24 hours by default): an expired key is claimed anew, and deleted by
 * a pruner every {@code prune-interval}.
 */
@Component
class IdempotencyKeys {

    record Claim(String requestHash, UUID orderId) {}

    private final JdbcClient jdbc;
    private final IdempotencyKeyProperties settings;

    IdempotencyKeys(JdbcClient jdbc, IdempotencyKeyProperties settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * Claims the key for a new order, in the caller's transaction. Empty when the claim succeeded (the key was new,
     * or had expired); otherwise the earlier claim. A concurrent claim of the same key waits for the other
     * transaction.
     */
    Optional<Claim> claim(String key, String requestHash, UUID orderId) {
        int inserted =
                jdbc.sql("""
                INSERT INTO idempotency_key (key, request_hash, order_id) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE
                    SET request_hash = excluded.request_hash, order_id = excluded.order_id, created_at = now()
                    WHERE idempotency_key.created_at < now() - make_interval(secs => ?)""").params(key, requestHash, orderId, seconds()).update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("SELECT request_hash, order_id FROM idempotency_key WHERE key = ?")
                .param(key)
                .query((rs, n) -> new Claim(rs.getString(1), rs.getObject(2, UUID.class)))
                .single());
    }

    private double seconds() {
        return settings.expireAfter().toMillis() / 1000.0;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IdempotencyKeyProperties.class)
    static class Expiry {

        @Bean
        Pruner idempotencyKeyPruner(JdbcClient jdbc, IdempotencyKeyProperties settings) {
            return new Pruner(
                    "idempotency_key",
                    "created_at",
                    jdbc,
                    settings.pruneInterval(),
                    settings.pruneBatchSize(),
                    () -> Optional.of(settings.expireAfter()));
        }
    }
}

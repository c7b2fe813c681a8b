package dev.orderflow.orderservice.order;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long an {@code Idempotency-Key} of {@code POST /api/orders} holds, under {@code orders.idempotency-keys}.
 *
 * @param expireAfter after this long a key is forgotten: the same key then places a new order (24 hours, as
 *     payment APIs keep theirs); until then it answers with the order it created
 * @param pruneInterval how often expired keys are deleted
 * @param pruneBatchSize keys deleted in one statement
 */
@ConfigurationProperties("orders.idempotency-keys")
record IdempotencyKeyProperties(
        @DefaultValue("24h") Duration expireAfter,
        @DefaultValue("1h") Duration pruneInterval,
        @DefaultValue("5000") int pruneBatchSize) {}

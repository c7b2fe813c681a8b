package dev.orderflow.orderservice.order;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How long orders take from their placement to their outcome, by outcome: {@code orderflow.saga.duration} with
 * {@code outcome} confirmed, rejected or cancelled (a pending order cancelled before its payment was decided).
 * Each order is counted once, when it leaves {@code PENDING}: a confirmed order cancelled later has had its outcome.
 * Recorded once the transaction has committed, so that a transaction retried after a rollback counts once. Its
 * percentiles and histogram are configured in {@code orderflow-defaults.yml}.
 */
@Component
class SagaDurations {

    static final String NAME = "orderflow.saga.duration";

    private final Map<OrderStatus, Timer> timers = new EnumMap<>(OrderStatus.class);

    SagaDurations(ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable(() -> Metrics.globalRegistry);
        for (OrderStatus outcome :
                new OrderStatus[] {OrderStatus.CONFIRMED, OrderStatus.REJECTED, OrderStatus.CANCELLED}) {
            timers.put(
                    outcome,
                    Timer.builder(NAME)
                            .description("From an order's placement to its outcome: its payment decided, or its"
                                    + " cancellation while pending")
                            .tag("outcome", outcome.name().toLowerCase())
                            .register(registry));
        }
    }

    /** An order left PENDING in the current transaction. */
    void ended(Order order) {
        Timer timer = timers.get(order.getStatus());
        Duration took = Duration.between(order.getCreatedAt(), order.getUpdatedAt());
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                timer.record(took);
            }
        });
    }
}

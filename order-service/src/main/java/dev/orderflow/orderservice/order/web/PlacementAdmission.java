package dev.orderflow.orderservice.order.web;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Bounds how many placements and cancellations are worked on at once: under more load than the database can take,
 * requests would otherwise pile up waiting for one of its few pooled connections. One that finds every permit
 * taken waits up to {@code max-wait} for one and is then refused ({@link Refused}: {@code 503} with
 * {@code Retry-After}); a client that retries with the same {@code Idempotency-Key} loses nothing.
 *
 * <p>The handler takes the permit, so every spelling of the path that reaches it ({@code /api/%6Frders},
 * {@code /api/orders;x}) is bounded alike, and takes it once the request's body is in: a client that sends its
 * body slowly holds a Tomcat thread (their number and the platform's 64 KB body limit bound what those hold), but
 * never a permit that a complete request is waiting for. Other endpoints: reads take one short query each and are
 * bounded by Tomcat's threads and the pool's connection timeout ({@code 503} when it runs out); health checks are
 * cheap and must stay answerable under load; live streams are bounded by notification-service's caps.
 */
@Component
@EnableConfigurationProperties(PlacementAdmission.Settings.class)
class PlacementAdmission {

    /**
     * Under {@code orders.placement}. The defaults let a burst of a few hundred placements on a cold service
     * through and still keep what a flood holds in memory small.
     *
     * @param maxConcurrent placements and cancellations worked on at once
     * @param maxWait how long one waits for its turn before it is refused
     */
    @ConfigurationProperties("orders.placement")
    record Settings(
            @DefaultValue("256") int maxConcurrent,
            @DefaultValue("5s") Duration maxWait) {}

    /** Every permit stayed taken for as long as the request could wait. */
    static class Refused extends RuntimeException {

        Refused() {
            super("Too many orders are being placed at once; try again in a moment with the same Idempotency-Key");
        }
    }

    private final Semaphore permits;
    private final Duration maxWait;

    PlacementAdmission(Settings settings) {
        this.permits = new Semaphore(settings.maxConcurrent());
        this.maxWait = settings.maxWait();
    }

    /** Runs the work with a permit, waiting for one up to {@code max-wait}. */
    <T> T admit(Supplier<T> work) {
        boolean admitted;
        try {
            admitted = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new Refused();
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}

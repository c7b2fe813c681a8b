package dev.orderflow.platform.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What waits in the outbox: {@code outbox.pending} rows, and {@code outbox.oldest.age}, the seconds since the
 * oldest of them was written (0 when empty). Normally both are close to 0, since the relay publishes within
 * milliseconds; a rising age means that Kafka is away or that the relay is stuck. Read when scraped, in one query
 * for both, at most once a second: an idle service does no work for it.
 */
class OutboxBacklog implements MeterBinder {

    private static final Duration FRESH = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    /** Null until the first reading. */
    private volatile Reading last;

    OutboxBacklog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private record Reading(double rows, double oldestAge, long at) {}

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("outbox.pending", this, backlog -> backlog.read().rows())
                .description("Outbox rows waiting to be published to Kafka")
                .register(registry);
        Gauge.builder("outbox.oldest.age", this, backlog -> backlog.read().oldestAge())
                .description("Seconds since the oldest outbox row waiting to be published was written; 0 when none"
                        + " waits")
                .baseUnit("seconds")
                .register(registry);
    }

    private Reading read() {
        Reading reading = last;
        long now = System.nanoTime();
        // nanoTime differences, never comparisons of its values: they may be negative and wrap
        if (reading != null && now - reading.at() < FRESH.toNanos()) {
            return reading;
        }
        try {
            reading = jdbc.sql("""
                    SELECT count(*) AS pending,
                           coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) AS oldest_age
                    FROM outbox""")
                    .query((rs, n) -> new Reading(rs.getLong("pending"), rs.getDouble("oldest_age"), now))
                    .single();
        } catch (RuntimeException e) {
            // The database is away: the figures are unknown, which a dashboard shows as a gap.
            reading = new Reading(Double.NaN, Double.NaN, now);
        }
        last = reading;
        return reading;
    }
}

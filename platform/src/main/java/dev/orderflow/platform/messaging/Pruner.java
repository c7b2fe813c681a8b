package dev.orderflow.platform.messaging;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Deletes the rows of a table that are older than a keep period, every {@code interval}, in batches of
 * {@code batchSize} rows (one short statement each, so that no round holds locks or a transaction for long). A
 * round with nothing to delete costs one query that finds nothing, on an index of the age column. A failed round
 * is logged and left to the next.
 */
public class Pruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Pruner.class);

    private final String table;
    private final String ageColumn;
    private final JdbcClient jdbc;
    private final Duration interval;
    private final int batchSize;
    private final Supplier<Optional<Duration>> keep;
    private ScheduledExecutorService scheduler;

    /**
     * @param table the table, and {@code ageColumn} its {@code timestamptz} column that rows are aged by: names from
     *     code, never from input
     * @param keep how long rows are kept, asked each round; empty skips the round
     */
    public Pruner(
            String table,
            String ageColumn,
            JdbcClient jdbc,
            Duration interval,
            int batchSize,
            Supplier<Optional<Duration>> keep) {
        this.table = table;
        this.ageColumn = ageColumn;
        this.jdbc = jdbc;
        this.interval = interval;
        this.batchSize = batchSize;
        this.keep = keep;
    }

    /** Deletes what is older than the keep period; returns how many rows, or -1 for a skipped round. */
    public long prune() {
        Optional<Duration> kept = keep.get();
        if (kept.isEmpty()) {
            return -1;
        }
        long deleted = 0;
        int batch;
        do {
            // ctids of one batch, then those rows: a LIMIT on the deletion itself, which PostgreSQL lacks
            batch = jdbc.sql("DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table + " WHERE "
                            + ageColumn + " < now() - make_interval(secs => ?) LIMIT ?))")
                    .params((double) kept.get().toMillis() / 1000, batchSize)
                    .update();
            deleted += batch;
        } while (batch == batchSize);
        if (deleted > 0) {
            log.info("Pruned {} rows older than {} from {}", deleted, kept.get(), table);
        }
        return deleted;
    }

    private void round() {
        try {
            prune();
        } catch (RuntimeException e) {
            log.warn("Pruning {} failed, tried again in {}: {}", table, interval, e.toString());
        }
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("prune-" + table).daemon().factory());
        // the first round a while after start-up, which has enough to do
        scheduler.scheduleWithFixedDelay(
                this::round, Math.min(interval.toMillis(), 60_000), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}

package dev.orderflow.platform.messaging;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A thread that works off a table in batches: woken as soon as a commit has put work there, and looking
 * every {@code pollInterval} for work it was not woken for (committed by another instance, left by a
 * crash, or come due). A full batch is followed at once by the next; a round that found another instance at
 * work ({@link #BUSY}) is tried again a few milliseconds later, so that what this instance committed does not
 * wait for the next poll; a failing round is tried again after a pause that doubles up to 5 s. The outbox
 * relay and notification-service's mail relay are two.
 */
public abstract class BatchRelay implements SmartLifecycle {

    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    /** What {@link #runBatch()} returns when another instance holds the turn. */
    protected static final int BUSY = -1;

    /** Pause before trying again a round that found another instance at work, and how often. */
    private static final Duration BUSY_PAUSE = Duration.ofMillis(10);

    private static final int BUSY_RETRIES = 100;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration stopWait;
    private final Semaphore wakeUps = new Semaphore(0);

    private volatile boolean running;
    private Thread worker;

    /**
     * @param name the thread's name
     * @param batchSize the most rows one {@link #runBatch()} takes
     * @param pollInterval how often to look for work without being woken
     * @param stopWait how long stopping waits for a batch in flight
     */
    protected BatchRelay(String name, int batchSize, Duration pollInterval, Duration stopWait) {
        this.name = name;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.stopWait = stopWait;
    }

    /** Works off one batch, in one transaction; returns how many rows it took, or {@link #BUSY}. */
    protected abstract int runBatch();

    /** Called after a transaction that put work in the table has committed. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wakeUps.release();
        try {
            worker.join(stopWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                int taken;
                int busy = 0;
                while (running && ((taken = runBatch()) >= batchSize || (taken == BUSY && busy++ < BUSY_RETRIES))) {
                    if (taken == BUSY) {
                        Thread.sleep(BUSY_PAUSE);
                    }
                }
                failures = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures++;
                long pause = Math.min(MAX_PAUSE.toMillis(), 100L << Math.min(failures, 6));
                log.warn("{} failed (attempt {}), retrying in {} ms: {}", name, failures, pause, e.toString());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}

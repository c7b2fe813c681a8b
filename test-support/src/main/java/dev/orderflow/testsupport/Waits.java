package dev.orderflow.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ConditionFactory;

/**
 * The tests' patience with what runs asynchronously: wait for an outcome with {@link #eventually}, never for a
 * fixed time. {@link #pause} is for the other case, a fault held for a while on purpose.
 */
public final class Waits {

    private Waits() {}

    /** Up to 30 s, looking every 100 ms. */
    public static ConditionFactory eventually() {
        return eventually(Duration.ofMillis(100));
    }

    public static ConditionFactory eventually(Duration pollInterval) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(pollInterval);
    }

    /**
     * Lets time pass on purpose: a fault held for a while, a rate kept. Not a wait for something to happen (that
     * is {@link #eventually}).
     */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

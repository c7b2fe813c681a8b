package dev.orderflow.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * An open-loop schedule: the n-th send is due at {@code start + n / rate}, whatever happened to the sends
 * before it. A send never waits for an answer (it must hand the request off and return), so a slow system
 * cannot slow the load down and hide its own latency; a bench that falls behind sends at once what is
 * due, and the latencies, taken from the due time, show it.
 */
final class OpenLoop {

    private OpenLoop() {}

    /** The due time of the n-th send, in nanoseconds after the start. */
    static long dueOffset(long n, int rate) {
        return Math.round(n * 1e9 / rate);
    }

    /** Calls {@code send} with each due time ({@link System#nanoTime()}); returns how many it sent. */
    static long run(int rate, Duration duration, LongConsumer send) {
        long count = Math.round(rate * (duration.toNanos() / 1e9));
        long start = System.nanoTime();
        for (long n = 0; n < count; n++) {
            long due = start + dueOffset(n, rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            send.accept(due);
        }
        return count;
    }
}

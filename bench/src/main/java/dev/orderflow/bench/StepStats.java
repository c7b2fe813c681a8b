package dev.orderflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * What the bench saw of the orders of one step, as it happens. Every latency is taken from the order's
 * scheduled send time, not from when the bench got round to sending it: the open-loop schedule does not
 * wait for answers, and an answer late because an earlier one was late counts as late (no coordinated
 * omission).
 */
final class StepStats {

    final int offeredRate;
    final boolean measured;

    /** Scheduled send to the 202 answer. */
    final ConcurrentHistogram accepted = Latency.histogram();
    /** Actual send to the 202 answer: what a closed-loop client would report; only for comparison. */
    final ConcurrentHistogram acceptedUncorrected = Latency.histogram();
    /** Scheduled send to the ORDER_PLACED notification. */
    final ConcurrentHistogram placed = Latency.histogram();
    /** Scheduled send to the ORDER_CONFIRMED or ORDER_REJECTED notification. */
    final ConcurrentHistogram outcome = Latency.histogram();
    /** How late the bench itself sent, after the schedule: large values mean the bench is the bottleneck. */
    final ConcurrentHistogram sendDelay = Latency.histogram();

    final LongAdder sent = new LongAdder();
    final LongAdder acceptedCount = new LongAdder();
    final LongAdder confirmed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    /** Confirmed although it had to be declined, or the other way round. */
    final LongAdder wrongOutcome = new LongAdder();

    final LongAdder unfinished = new LongAdder();
    final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

    private final List<long[]> backlog = new ArrayList<>();
    volatile long startedAt;
    volatile long sendingEndedAt;
    private volatile boolean closed;

    StepStats(int offeredRate, boolean measured) {
        this.offeredRate = offeredRate;
        this.measured = measured;
    }

    /**
     * Ends the step: what is still outstanding counts as unfinished, and answers or notifications that
     * come for its orders later are ignored.
     */
    void close() {
        unfinished.add(Math.max(0, outstanding()));
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    void error(String kind) {
        errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    long httpAndTransportErrors() {
        return errorKinds.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Orders sent that have neither their outcome notification nor an error yet. */
    long outstanding() {
        return sent.sum() - confirmed.sum() - rejected.sum() - httpAndTransportErrors() - unfinished.sum();
    }

    long errors() {
        return httpAndTransportErrors() + wrongOutcome.sum() + unfinished.sum();
    }

    synchronized void sampleBacklog(long now) {
        backlog.add(new long[] {now - startedAt, outstanding()});
    }

    /** (nanoseconds since the start, outstanding orders), in the order they were taken. */
    synchronized List<long[]> backlogSamples() {
        return List.copyOf(backlog);
    }

    Map<String, Long> errorCounts() {
        Map<String, Long> counts = new TreeMap<>();
        errorKinds.forEach((k, v) -> counts.put(k, v.sum()));
        if (wrongOutcome.sum() > 0) {
            counts.put("wrong outcome", wrongOutcome.sum());
        }
        if (unfinished.sum() > 0) {
            counts.put("no outcome notification", unfinished.sum());
        }
        return counts;
    }
}

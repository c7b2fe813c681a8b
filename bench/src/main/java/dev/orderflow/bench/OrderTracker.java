package dev.orderflow.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Joins each order's 202 answer with its notifications. Either may come first: under load the stream can
 * deliver ORDER_PLACED, even the outcome, before the bench has read the answer that names the order id.
 */
final class OrderTracker {

    static final String PLACED = "ORDER_PLACED";
    static final String CONFIRMED = "ORDER_CONFIRMED";
    static final String REJECTED = "ORDER_REJECTED";

    /** Guarded by the map's per-key locking (compute). */
    private static final class Entry {
        StepStats step;
        long due;
        boolean declineExpected;
        long placedAt;
        long outcomeAt;
        String outcome;
    }

    private final Map<String, Entry> orders = new ConcurrentHashMap<>();

    /** Order {@code orderId}, scheduled at {@code due}, was answered with a 202. */
    void accepted(String orderId, StepStats step, long due, boolean declineExpected) {
        orders.compute(orderId, (id, e) -> {
            Entry entry = e != null ? e : new Entry();
            entry.step = step;
            entry.due = due;
            entry.declineExpected = declineExpected;
            if (entry.placedAt != 0) {
                step.placed.recordValue(Latency.micros(entry.placedAt - due));
            }
            if (entry.outcome != null) {
                complete(entry, entry.outcome, entry.outcomeAt);
                return null;
            }
            return entry;
        });
    }

    /** A notification of {@code type} for {@code orderId} arrived at {@code at}. */
    void notified(String orderId, String type, long at) {
        if (!PLACED.equals(type) && !CONFIRMED.equals(type) && !REJECTED.equals(type)) {
            return;
        }
        orders.compute(orderId, (id, e) -> {
            Entry entry = e != null ? e : new Entry();
            if (PLACED.equals(type)) {
                if (entry.step != null && !entry.step.isClosed()) {
                    entry.step.placed.recordValue(Latency.micros(at - entry.due));
                } else {
                    entry.placedAt = at;
                }
                return entry;
            }
            if (entry.step != null) {
                complete(entry, type, at);
                return null;
            }
            entry.outcome = type;
            entry.outcomeAt = at;
            return entry;
        });
    }

    private static void complete(Entry entry, String type, long at) {
        StepStats step = entry.step;
        if (step.isClosed()) {
            return;
        }
        step.outcome.recordValue(Latency.micros(at - entry.due));
        boolean declined = REJECTED.equals(type);
        (declined ? step.rejected : step.confirmed).increment();
        if (declined != entry.declineExpected) {
            step.wrongOutcome.increment();
        }
    }

    /** Forgets the orders of a closed step that are still without an outcome. */
    void forget(StepStats step) {
        orders.values().removeIf(e -> e.step == step);
    }

    /** Notifications of orders the bench has no 202 for (yet, or ever). */
    long unmatched() {
        return orders.values().stream().filter(e -> e.step == null).count();
    }
}

package dev.orderflow.bench;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Percentiles of a latency distribution, in milliseconds; null figures where nothing was measured.
 *
 * @param count how many values
 */
record Latency(long count, Double mean, Double p50, Double p90, Double p99, Double p999, Double max) {

    /** Values are recorded in microseconds, up to 10 minutes, to 3 significant digits. */
    static ConcurrentHistogram histogram() {
        return new ConcurrentHistogram(600_000_000L, 3);
    }

    static Latency of(AbstractHistogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Latency(0, null, null, null, null, null, null);
        }
        return new Latency(
                micros.getTotalCount(),
                ms(micros.getMean()),
                ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()));
    }

    static Latency empty() {
        return new Latency(0, null, null, null, null, null, null);
    }

    private static double ms(double micros) {
        return Math.round(micros / 100.0) / 10.0;
    }

    /** Nanoseconds to the microseconds the histograms take, never below 0. */
    static long micros(long nanos) {
        return Math.max(0, nanos / 1000);
    }
}

package dev.orderflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The decisions of the step search: whether a step was sustained, and which rate to try next. A step is
 * sustained when the p99 of both the 202 and the outcome notification stays under the limit, nothing
 * erred, the backlog of orders without an outcome did not grow, and the bench kept to its own schedule.
 */
final class StepSearch {

    /** Backlog growth below this share of the offered rate (orders per second) is noise. */
    static final double BACKLOG_GROWTH_SHARE = 0.05;

    /** A step whose backlog grows by fewer orders per second than this is not growing. */
    static final double BACKLOG_GROWTH_MIN = 5;

    /** The step search stops at this many steps in a row that miss the p99 limit while keeping up. */
    static final int MISSES_IN_ROW = 2;

    private StepSearch() {}

    /**
     * @param passed sustained: every condition met
     * @param keptUp the suite kept up with the rate, if slower than the limit allows: no errors, outcomes
     *     arrived, the backlog did not grow, the bench kept to its schedule
     */
    record Verdict(boolean passed, boolean keptUp, List<String> reasons) {}

    static Verdict judge(
            int offeredRate,
            Latency accepted,
            Latency outcome,
            long errors,
            double backlogGrowthPerSecond,
            Latency sendDelay,
            Duration p99Limit) {
        double limit = p99Limit.toMillis();
        List<String> reasons = new ArrayList<>();
        boolean keptUp = true;
        if (errors > 0) {
            keptUp = false;
            reasons.add(errors + " error(s)");
        }
        if (outcome.count() == 0) {
            keptUp = false;
            reasons.add("no outcome notification arrived");
        } else if (outcome.p99() > limit) {
            reasons.add("p99 POST to outcome notification " + outcome.p99() + " ms > " + (long) limit + " ms");
        }
        if (accepted.count() > 0 && accepted.p99() > limit) {
            reasons.add("p99 POST to 202 " + accepted.p99() + " ms > " + (long) limit + " ms");
        }
        if (backlogGrowthPerSecond > Math.max(BACKLOG_GROWTH_MIN, BACKLOG_GROWTH_SHARE * offeredRate)) {
            keptUp = false;
            reasons.add("the backlog grew by " + Math.round(backlogGrowthPerSecond) + " orders/s");
        }
        if (sendDelay.count() > 0 && sendDelay.p99() > limit / 2) {
            keptUp = false;
            reasons.add("the bench fell behind its own schedule (send delay p99 " + sendDelay.p99()
                    + " ms): the machine cannot drive this rate");
        }
        return new Verdict(reasons.isEmpty(), keptUp, List.copyOf(reasons));
    }

    /**
     * How fast the backlog (orders still without an outcome) grew over the second half of a step, in orders
     * per second: the least-squares slope of its samples. A system that keeps up holds it level (at rate
     * times latency); one that does not adds the difference every second.
     *
     * @param samples (nanoseconds since the step's start, outstanding orders)
     */
    static double backlogGrowth(List<long[]> samples) {
        if (samples.size() < 4) {
            return 0;
        }
        List<long[]> half = samples.subList(samples.size() / 2, samples.size());
        double n = half.size();
        double sumX = 0;
        double sumY = 0;
        for (long[] s : half) {
            sumX += s[0] / 1e9;
            sumY += s[1];
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        double covariance = 0;
        double variance = 0;
        for (long[] s : half) {
            double dx = s[0] / 1e9 - meanX;
            covariance += dx * (s[1] - meanY);
            variance += dx * dx;
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    /**
     * The rate halfway between the highest sustained and the lowest failed one, rounded to a multiple of 5
     * (of 10 from 100 up, of 50 from 1000 up); empty when that is no new rate between them.
     */
    static OptionalInt between(int sustained, int failed) {
        int unit = failed > 1000 ? 50 : failed > 100 ? 10 : 5;
        int mid = Math.round((sustained + failed) / 2f / unit) * unit;
        return mid > sustained && mid < failed ? OptionalInt.of(mid) : OptionalInt.empty();
    }
}

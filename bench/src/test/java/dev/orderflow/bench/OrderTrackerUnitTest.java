package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class OrderTrackerUnitTest {

    private final OrderTracker tracker = new OrderTracker();
    private final StepStats step = new StepStats(100, true);

    @Test
    void timesAnOrderFromItsScheduledSendToItsOutcome() {
        step.sent.increment();
        tracker.accepted("o1", step, 1_000_000_000L, false);
        tracker.notified("o1", OrderTracker.PLACED, 1_020_000_000L);
        tracker.notified("o1", OrderTracker.CONFIRMED, 1_050_000_000L);

        assertThat(step.confirmed.sum()).isEqualTo(1);
        assertThat(step.outcome.getMaxValue()).isCloseTo(50_000L, withinPercentage(0.1));
        assertThat(step.placed.getMaxValue()).isCloseTo(20_000L, withinPercentage(0.1));
        assertThat(step.outstanding()).isZero();
        assertThat(step.errors()).isZero();
    }

    @Test
    void matchesNotificationsThatArriveBeforeTheAnswer() {
        step.sent.increment();
        tracker.notified("o2", OrderTracker.PLACED, 1_010_000_000L);
        tracker.notified("o2", OrderTracker.REJECTED, 1_030_000_000L);
        assertThat(tracker.unmatched()).isEqualTo(1);

        tracker.accepted("o2", step, 1_000_000_000L, true);

        assertThat(step.rejected.sum()).isEqualTo(1);
        assertThat(step.outcome.getMaxValue()).isCloseTo(30_000L, withinPercentage(0.1));
        assertThat(tracker.unmatched()).isZero();
        assertThat(step.errors()).isZero();
    }

    @Test
    void countsAnOutcomeOtherThanTheExpectedOneAsAnError() {
        step.sent.increment();
        tracker.accepted("o3", step, 0, true);
        tracker.notified("o3", OrderTracker.CONFIRMED, 5_000_000L);

        assertThat(step.wrongOutcome.sum()).isEqualTo(1);
        assertThat(step.errors()).isEqualTo(1);
    }

    @Test
    void countsWhatIsOutstandingWhenAStepClosesAsUnfinishedAndIgnoresItLater() {
        step.sent.add(2);
        tracker.accepted("o4", step, 0, false);
        step.close();
        tracker.forget(step);
        tracker.notified("o4", OrderTracker.CONFIRMED, 5_000_000L);

        assertThat(step.unfinished.sum()).isEqualTo(2);
        assertThat(step.confirmed.sum()).isZero();
        assertThat(step.errorCounts()).containsEntry("no outcome notification", 2L);
    }
}

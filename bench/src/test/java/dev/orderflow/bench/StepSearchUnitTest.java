package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepSearchUnitTest {

    private static final Duration LIMIT = Duration.ofMillis(250);

    private static Latency p99(double ms) {
        return new Latency(1000, ms / 2, ms / 2, ms * 0.8, ms, ms, ms * 2);
    }

    @Test
    void sustainsAStepUnderTheLimitWithoutErrors() {
        StepSearch.Verdict verdict = StepSearch.judge(400, p99(20), p99(240), 0, 1.0, p99(1), LIMIT);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.reasons()).isEmpty();
    }

    @Test
    void failsAStepWhoseOutcomeP99IsOverTheLimit() {
        StepSearch.Verdict verdict = StepSearch.judge(400, p99(20), p99(250.1), 0, 0, p99(1), LIMIT);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.keptUp())
                .as("slow, but keeping up: the search goes on")
                .isTrue();
        assertThat(verdict.reasons()).containsExactly("p99 POST to outcome notification 250.1 ms > 250 ms");
    }

    @Test
    void failsAStepWithASingleErrorHoweverFastItWas() {
        StepSearch.Verdict verdict = StepSearch.judge(100, p99(5), p99(30), 1, 0, p99(1), LIMIT);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.keptUp()).isFalse();
        assertThat(verdict.reasons()).containsExactly("1 error(s)");
    }

    @Test
    void failsAStepWhoseBacklogGrowsOrWhoseBenchFellBehind() {
        assertThat(StepSearch.judge(1000, p99(5), p99(30), 0, 60, p99(1), LIMIT).reasons())
                .containsExactly("the backlog grew by 60 orders/s");
        assertThat(StepSearch.judge(1000, p99(5), p99(30), 0, 60, p99(1), LIMIT).keptUp())
                .isFalse();
        assertThat(StepSearch.judge(1000, p99(5), p99(30), 0, 0, p99(200), LIMIT)
                        .keptUp())
                .isFalse();
        assertThat(StepSearch.judge(1000, p99(5), p99(30), 0, 40, p99(1), LIMIT).passed())
                .isTrue();
        assertThat(StepSearch.judge(1000, p99(5), p99(30), 0, 0, p99(200), LIMIT)
                        .reasons())
                .singleElement()
                .asString()
                .startsWith("the bench fell behind");
    }

    @Test
    void failsAStepWithoutAnyOutcome() {
        StepSearch.Verdict verdict = StepSearch.judge(100, p99(5), Latency.empty(), 0, 0, p99(1), LIMIT);

        assertThat(verdict.reasons()).containsExactly("no outcome notification arrived");
        assertThat(verdict.keptUp()).isFalse();
    }

    @Test
    void measuresBacklogGrowthOverTheSecondHalfOfTheStep() {
        List<long[]> level = new ArrayList<>();
        List<long[]> growing = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long at = i * 500_000_000L;
            level.add(new long[] {at, 50 + (i % 3)});
            // level at first, then 100 more orders every second
            growing.add(new long[] {at, i < 20 ? 50 : 50 + (i - 20) * 50L});
        }

        assertThat(StepSearch.backlogGrowth(level)).isBetween(-2.0, 2.0);
        assertThat(StepSearch.backlogGrowth(growing)).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(StepSearch.backlogGrowth(List.of())).isZero();
    }

    @Test
    void refinesHalfwayBetweenTheLastPassAndTheFirstFailure() {
        assertThat(StepSearch.between(400, 700)).hasValue(550);
        assertThat(StepSearch.between(1000, 1400)).hasValue(1200);
        assertThat(StepSearch.between(1400, 2000)).hasValue(1700);
        assertThat(StepSearch.between(25, 50)).hasValue(40);
        assertThat(StepSearch.between(40, 50)).hasValue(45);
        assertThat(StepSearch.between(100, 110)).isEmpty();
        assertThat(StepSearch.between(45, 50)).isEmpty();
    }
}

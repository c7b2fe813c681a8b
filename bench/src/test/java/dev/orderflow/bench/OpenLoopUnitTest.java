package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopUnitTest {

    @Test
    void schedulesSendsEvenlyFromTheStartWhateverTheSendsTake() {
        assertThat(OpenLoop.dueOffset(0, 400)).isZero();
        assertThat(OpenLoop.dueOffset(1, 400)).isEqualTo(2_500_000);
        assertThat(OpenLoop.dueOffset(400, 400)).isEqualTo(1_000_000_000);
        assertThat(OpenLoop.dueOffset(1, 3)).isEqualTo(333_333_333);
    }

    @Test
    void keepsTheScheduleWhenASendIsSlowInsteadOfDelayingTheOthers() {
        List<Long> dues = new ArrayList<>();
        long sent = OpenLoop.run(100, Duration.ofMillis(200), due -> {
            dues.add(due);
            if (dues.size() == 1) {
                try {
                    // far slower than the 10 ms between sends
                    Thread.sleep(80);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        assertThat(sent).isEqualTo(20);
        assertThat(dues).hasSize(20);
        for (int i = 1; i < dues.size(); i++) {
            assertThat(dues.get(i) - dues.get(i - 1)).isEqualTo(10_000_000L);
        }
    }
}

package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class MachineCpuUnitTest {

    @Test
    void takesTheBusyShareFromTwoReadingsOfProcStat() {
        MachineCpu.Reading before = MachineCpu.parse("cpu  100 0 50 800 50 0 0 0 0 0", 0);
        // 300 more jiffies: 150 user, 75 system, 60 idle, 15 iowait
        MachineCpu.Reading after = MachineCpu.parse("cpu  250 0 125 860 65 0 0 0 0 0", 500_000_000);

        assertThat(MachineCpu.busyShare(before, after)).isEqualTo(0.75);
        assertThat(MachineCpu.benchCores(before, after, 2.0)).isEqualTo(0.25);
    }

    @Test
    void knowsNothingWithoutReadings() {
        MachineCpu.Reading none = new MachineCpu.Reading(-1, -1, -1);

        assertThat(MachineCpu.busyShare(none, none)).isNull();
        assertThat(MachineCpu.benchCores(none, none, 1)).isNull();
        assertThatIllegalArgumentException().isThrownBy(() -> MachineCpu.parse("cpu0 1 2 3 4", 0));
    }
}

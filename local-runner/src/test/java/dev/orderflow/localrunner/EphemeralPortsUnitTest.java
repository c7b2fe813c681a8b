package dev.orderflow.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class EphemeralPortsUnitTest {

    @Test
    void readsTheRangeAsTheKernelWritesIt() {
        EphemeralPorts range = EphemeralPorts.parse("32768\t60999\n");

        assertThat(range).isEqualTo(new EphemeralPorts(32768, 60999));
        assertThat(range.contains(32767)).isFalse();
        assertThat(range.contains(32768)).isTrue();
        assertThat(range.contains(60999)).isTrue();
        assertThat(range.contains(61000)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> EphemeralPorts.parse("32768"));
        assertThatIllegalArgumentException().isThrownBy(() -> EphemeralPorts.parse("60999 32768"));
        assertThatIllegalArgumentException().isThrownBy(() -> EphemeralPorts.parse("32768 70000"));
    }

    @Test
    void findsThisMachinesRangeWhereTheKernelSaysIt() {
        if (Files.isReadable(EphemeralPorts.LINUX)) {
            assertThat(EphemeralPorts.ofThisMachine())
                    .hasValueSatisfying(range -> assertThat(range.from()).isBetween(1, range.to()));
        } else {
            assertThat(EphemeralPorts.ofThisMachine()).isEmpty();
        }
    }
}

package dev.orderflow.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsUnitTest {

    @Test
    void defaultsToTheContractPortsAndKeepsData() {
        Options options = Options.parse(List.of());

        assertThat(options.clean()).isFalse();
        assertThat(options.quiet()).isFalse();
        assertThat(options.postgresPort()).isEqualTo(5432);
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.kafkaControllerPort()).isEqualTo(9093);
    }

    @Test
    void readsFlagsAndPorts() {
        Options options = Options.parse(List.of("--clean", "--quiet", "--pg-port=15432", "--kafka-port=19092"));

        assertThat(options.clean()).isTrue();
        assertThat(options.quiet()).isTrue();
        assertThat(options.postgresPort()).isEqualTo(15432);
        assertThat(options.kafkaControllerPort()).isEqualTo(19093);
    }

    @Test
    void rejectsUnknownOptionsAndBadPorts() {
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--cleam")));
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--pg-port=http")));
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--kafka-port=70000")));
    }
}

package dev.orderflow.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.orderflow.launcher.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsUnitTest {

    @Test
    void defaultsToOneBrokerAndOneInstanceOnTheContractPortsAndKeepsData() {
        Options options = Options.parse(List.of());

        assertThat(options.clean()).isFalse();
        assertThat(options.quiet()).isFalse();
        assertThat(options.brokers()).isEqualTo(1);
        assertThat(options.instances()).isEqualTo(1);
        assertThat(options.postgresPort()).isEqualTo(5432);
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.kafkaControllerPort()).isEqualTo(9093);
        assertThat(options.port(Service.ORDER, 0)).isEqualTo(8080);
        assertThat(options.port(Service.NOTIFICATION, 0)).isEqualTo(8082);
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
    void placesBrokersAndInstancesAHundredPortsApart() {
        Options options = Options.parse(List.of("--brokers", "3", "--instances=2"));

        assertThat(options.brokers()).isEqualTo(3);
        assertThat(options.kafkaPort(0)).isEqualTo(9092);
        assertThat(options.kafkaPort(2)).isEqualTo(9292);
        assertThat(options.port(Service.ORDER, 1)).isEqualTo(8180);
        assertThat(options.port(Service.PAYMENT, 1)).isEqualTo(8181);
        assertThat(options.port(Service.NOTIFICATION, 1)).isEqualTo(8182);
    }

    @Test
    void movesEveryDefaultPortByTheOffsetButNotThoseGiven() {
        Options options = Options.parse(List.of("--port-offset", "20000", "--brokers=3", "--pg-port=25000"));

        assertThat(options.postgresPort()).isEqualTo(25000);
        assertThat(options.kafkaPort(0)).isEqualTo(29092);
        assertThat(options.kafkaPort(1)).isEqualTo(29192);
        assertThat(options.port(Service.ORDER, 0)).isEqualTo(28080);
        assertThat(options.port(Service.NOTIFICATION, 0)).isEqualTo(28082);
    }

    @Test
    void rejectsUnknownOptionsBadPortsAndSizesBeyondTheLimits() {
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--cleam")));
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--pg-port=http")));
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--kafka-port=70000")));
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--brokers", "0")));
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--instances=7")));
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(List.of("--brokers")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Options.parse(List.of("--kafka-port=65400", "--brokers=3")))
                .withMessageContaining("65535");
    }
}

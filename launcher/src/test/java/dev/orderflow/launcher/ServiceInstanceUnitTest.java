package dev.orderflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class ServiceInstanceUnitTest {

    @Test
    void configuresAServiceOnlyThroughTheContractVariables() {
        assertThat(ServiceInstance.contractEnvironment(
                        8181,
                        "jdbc:postgresql://localhost:5432/payments",
                        "payments",
                        "secret",
                        "localhost:9092,localhost:9192"))
                .containsExactly(
                        entry("SERVER_PORT", "8181"),
                        entry("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:5432/payments"),
                        entry("SPRING_DATASOURCE_USERNAME", "payments"),
                        entry("SPRING_DATASOURCE_PASSWORD", "secret"),
                        entry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092,localhost:9192"));
    }

    @Test
    void placesInstancesAHundredPortsApartAndNamesThemFromTheSecondOn() {
        assertThat(Service.ORDER.port(0, 0)).isEqualTo(8080);
        assertThat(Service.ORDER.port(0, 2)).isEqualTo(8280);
        assertThat(Service.NOTIFICATION.port(1000, 1)).isEqualTo(9182);
        assertThat(Service.PAYMENT.instanceName(0)).isEqualTo("payment-service");
        assertThat(Service.PAYMENT.instanceName(1)).isEqualTo("payment-service-1");
    }
}

package dev.orderflow.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class LocalSuiteUnitTest {

    @Test
    void configuresAServiceOnlyThroughTheContractVariables() {
        LocalSuite.Service payments = LocalSuite.SERVICES.get(1);

        assertThat(LocalSuite.serviceEnvironment(
                        payments, "jdbc:postgresql://localhost:5432/payments", "localhost:9092"))
                .containsExactly(
                        entry("SERVER_PORT", "8081"),
                        entry("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:5432/payments"),
                        entry("SPRING_DATASOURCE_USERNAME", "payments"),
                        entry("SPRING_DATASOURCE_PASSWORD", "payments"),
                        entry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
    }
}

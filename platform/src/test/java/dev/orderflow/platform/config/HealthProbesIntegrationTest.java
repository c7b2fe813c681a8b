package dev.orderflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.platform.LocalServerFixture;
import dev.orderflow.testsupport.Database;
import dev.orderflow.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The probes' health groups of every service: liveness speaks of the process alone, readiness of whether it can
 * serve, its database and Kafka included. Shown with a service whose database answers and whose broker does not.
 */
@SpringBootTest(classes = HealthProbesIntegrationTest.Service.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class HealthProbesIntegrationTest extends LocalServerFixture {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {}

    @DynamicPropertySource
    static void aDatabaseAndNoBroker(DynamicPropertyRegistry registry) {
        Database database = TestInfrastructure.newDatabase("health");
        database.springProperties().forEach((property, value) -> registry.add(property, () -> value));
        registry.add("spring.kafka.bootstrap-servers", () -> "localhost:" + unusedPort());
        // Creating the topics at start-up gives up after this.
        registry.add("spring.kafka.admin.operation-timeout", () -> "1s");
    }

    @Test
    void livenessIsUpWithoutTheBrokerForItLooksAtNothingOutsideTheProcess() {
        ResponseEntity<JsonNode> liveness = get("/actuator/health/liveness");

        assertThat(liveness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(liveness.getBody().path("status").asString()).isEqualTo("UP");
        assertThat(liveness.getBody().path("components").propertyNames()).containsExactly("livenessState");
    }

    @Test
    void readinessIsDownWithoutTheBrokerAndNamesWhatItLooksAt() {
        ResponseEntity<JsonNode> readiness = get("/actuator/health/readiness");

        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        JsonNode components = readiness.getBody().path("components");
        assertThat(components.propertyNames()).containsExactlyInAnyOrder("readinessState", "db", "kafka");
        assertThat(components.path("readinessState").path("status").asString()).isEqualTo("UP");
        assertThat(components.path("db").path("status").asString()).isEqualTo("UP");
        assertThat(components.path("kafka").path("status").asString()).isEqualTo("DOWN");
    }

    @Test
    void theWholeHealthSaysTheSameAsReadiness() {
        ResponseEntity<JsonNode> health = get("/actuator/health");

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(health.getBody().path("components").propertyNames())
                .contains("db", "kafka", "livenessState", "readinessState");
    }

    private ResponseEntity<JsonNode> get(String path) {
        return http.get().uri(path).retrieve().toEntity(JsonNode.class);
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

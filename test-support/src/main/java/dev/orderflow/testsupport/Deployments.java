package dev.orderflow.testsupport;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the tests of the deployment files (the Compose files, the Kubernetes manifests) check them against: where the
 * repository is, and the environment variables of the services' contract.
 */
public final class Deployments {

    private Deployments() {}

    /** The repository's root, as seen from a module's directory, where Surefire runs. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The contract's variables, each with the property it sets. */
    public static final Map<String, String> CONTRACT = Map.of(
            "SERVER_PORT", "server.port",
            "SPRING_DATASOURCE_URL", "spring.datasource.url",
            "SPRING_DATASOURCE_USERNAME", "spring.datasource.username",
            "SPRING_DATASOURCE_PASSWORD", "spring.datasource.password",
            "SPRING_KAFKA_BOOTSTRAP_SERVERS", "spring.kafka.bootstrap-servers");
}

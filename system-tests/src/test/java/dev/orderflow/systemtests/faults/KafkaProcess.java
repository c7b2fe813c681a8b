package dev.orderflow.systemtests.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Apache Kafka's own broker (KRaft, broker and controller in one) in a JVM of its own, run from the Kafka
 * jars on the tests' classpath, with two client listeners: {@code TESTS}, which the tests use directly, and
 * {@code SERVICE}, advertised at the port of a proxy in front of it, so that every connection of a service
 * to the broker goes through that proxy and can be cut.
 */
final class KafkaProcess implements AutoCloseable {

    private final Process process;
    private final Path directory;
    /** The broker as the tests reach it. */
    final String bootstrapServers;

    private KafkaProcess(Process process, Path directory, String bootstrapServers) {
        this.process = process;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker with fresh storage and waits until it answers.
     *
     * @param servicePort where the {@code SERVICE} listener binds
     * @param advertisedServicePort the port the services are told to connect to (the proxy's)
     */
    static KafkaProcess start(
            Path parent, int testsPort, int servicePort, int advertisedServicePort, int controllerPort) {
        try {
            Files.createDirectories(parent);
            Path directory = Files.createTempDirectory(parent, "kafka-");
            Path config = directory.resolve("server.properties");
            Files.writeString(config, """
                    process.roles=broker,controller
                    node.id=1
                    controller.quorum.voters=1@localhost:%4$d
                    listeners=TESTS://localhost:%1$d,SERVICE://localhost:%2$d,CONTROLLER://localhost:%4$d
                    advertised.listeners=TESTS://localhost:%1$d,SERVICE://localhost:%3$d
                    controller.listener.names=CONTROLLER
                    inter.broker.listener.name=TESTS
                    listener.security.protocol.map=CONTROLLER:PLAINTEXT,TESTS:PLAINTEXT,SERVICE:PLAINTEXT
                    log.dirs=%5$s
                    offsets.topic.replication.factor=1
                    offsets.topic.num.partitions=1
                    transaction.state.log.replication.factor=1
                    transaction.state.log.min.isr=1
                    transaction.state.log.num.partitions=1
                    share.coordinator.state.topic.replication.factor=1
                    share.coordinator.state.topic.min.isr=1
                    group.initial.rebalance.delay.ms=0
                    auto.create.topics.enable=false
                    """.formatted(
                            testsPort, servicePort, advertisedServicePort, controllerPort, directory.resolve("data")));
            List<String> jvm = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx512m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path")));
            Path log = directory.resolve("kafka.log");
            List<String> format = new ArrayList<>(jvm);
            format.addAll(List.of(
                    "kafka.tools.StorageTool", "format", "-t", UUID.randomUUID().toString(), "-c", config.toString()));
            Process formatting = new ProcessBuilder(format)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                formatting.destroyForcibly();
                throw new IllegalStateException("Could not format the broker's storage; see " + log);
            }
            List<String> run = new ArrayList<>(jvm);
            run.addAll(List.of("kafka.Kafka", config.toString()));
            Process broker = new ProcessBuilder(run)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            KafkaProcess kafka = new KafkaProcess(broker, directory, "localhost:" + testsPort);
            kafka.awaitAnswering(Duration.ofSeconds(90), log);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitAnswering(Duration timeout, Path log) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka ended while starting; see " + log);
            }
            try (Admin admin = Admin.create(config)) {
                if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            ServiceProcess.sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("Kafka did not answer within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers + " in " + directory;
    }
}

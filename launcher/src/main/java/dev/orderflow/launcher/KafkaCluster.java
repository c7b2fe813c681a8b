package dev.orderflow.localrunner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM), run from the
 * Kafka jars on this module's classpath, with its data in a directory that survives restarts.
 */
final class KafkaBroker {

    /** Enough for one developer's traffic; the default 1 GB heap would be wasted on a 2-core laptop. */
    private static final List<String> JVM_OPTIONS =
            List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true");

    private final Path home;
    private final int port;
    private final int controllerPort;

    KafkaBroker(Path home, int port, int controllerPort) {
        this.home = home;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    Path dataDirectory() {
        return home.resolve("data");
    }

    /**
     * Writes the configuration, formats the storage on the first start only (formatting again would
     * lose the topics), and starts the broker.
     */
    ChildProcess start(Path java, String classpath, Path log, ChildProcess.Launcher launcher)
            throws IOException, InterruptedException {
        Files.createDirectories(home);
        Path config = home.resolve("server.properties");
        Files.writeString(config, serverProperties());
        Path logConfig = home.resolve("log4j2.xml");
        try (InputStream in = KafkaBroker.class.getResourceAsStream("/kafka-log4j2.xml")) {
            Files.copy(in, logConfig, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> jvm = new ArrayList<>();
        jvm.add(java.toString());
        jvm.addAll(JVM_OPTIONS);
        if (Runtime.version().feature() >= 23) {
            // Kafka's clients still unmap buffers through sun.misc.Unsafe; say yes without a warning.
            jvm.add("--sun-misc-unsafe-memory-access=allow");
        }
        jvm.add("-Dlog4j2.configurationFile=" + logConfig);
        jvm.add("-cp");
        jvm.add(classpath);
        if (!Files.exists(dataDirectory().resolve("meta.properties"))) {
            format(jvm, config, log, launcher);
        }
        List<String> command = new ArrayList<>(jvm);
        command.add("kafka.Kafka");
        command.add(config.toString());
        return launcher.start("kafka", command, Map.of(), log, null);
    }

    private void format(List<String> jvm, Path config, Path log, ChildProcess.Launcher launcher)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of(
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        ChildProcess storageTool = launcher.start("kafka-storage", command, Map.of(), log, null);
        if (!storageTool.process().waitFor(60, TimeUnit.SECONDS)
                || storageTool.process().exitValue() != 0) {
            storageTool.stop(Duration.ofSeconds(1));
            throw new IllegalStateException(
                    "Could not format the Kafka storage in " + dataDirectory() + ":\n" + storageTool.tail(20));
        }
    }

    private String serverProperties() {
        return """
                # Written by the local runner at every start; edits are lost.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@localhost:%2$d
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=6
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                # One partition each serves a developer well and makes the first start quicker.
                offsets.topic.num.partitions=1
                transaction.state.log.num.partitions=1
                # Fewer threads for a laptop's few cores than Kafka's defaults (3 network, 8 request, 10 background):
                # a handful of clients need no more, and each idle thread wakes up regularly.
                num.network.threads=1
                num.io.threads=2
                background.threads=2
                # Local data lives until --clean, like the databases: no time-based deletion of events
                # or of the offsets of consumers that were stopped for a while.
                log.retention.hours=-1
                offsets.retention.minutes=5256000
                """.formatted(port, controllerPort, dataDirectory());
    }

    /** Whether the broker answers and has registered itself, so that clients can use it. */
    boolean answers() {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(config)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}

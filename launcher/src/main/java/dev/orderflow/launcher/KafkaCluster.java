package dev.orderflow.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka in KRaft mode from the Kafka jars on a classpath: one node or several, each a broker and a controller
 * in a JVM of its own, every node a voter of the controller quorum, with its data in a directory that survives
 * restarts. A node is formatted on its first start only (formatting again would lose the topics), all with the
 * cluster id kept in the cluster's home.
 *
 * <p>Replication follows the number of nodes: topics created without a replication factor (the services' own, on
 * brokers that decide it) get a replica per node up to three, and {@code min.insync.replicas} 2 once there are
 * three, so that a record acknowledged to an {@code acks=all} producer is on two brokers and the loss of any one
 * loses nothing; the internal topics (offsets, transactions) alike. {@link Settings#properties} overrides any of it.
 */
public final class KafkaCluster {

    /** Enough for a developer's traffic; the default 1 GB heap would be wasted on a laptop's few cores. */
    public static final List<String> JVM_OPTIONS =
            List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true");

    /** Node {@code i} (from 0) of a cluster on this machine listens on the first node's ports + 100·i. */
    public static final int NODE_PORT_STEP = 100;

    /**
     * A listener for clients.
     *
     * @param name its name in the broker's configuration ({@code PLAINTEXT}, {@code SERVICE}, …)
     * @param port where it binds, on localhost
     * @param advertisedPort what clients are told to connect to: the port itself, or that of a proxy in front of it
     */
    public record Listener(String name, int port, int advertisedPort) {

        public static Listener plain(String name, int port) {
            return new Listener(name, port, port);
        }
    }

    /**
     * One node's network.
     *
     * @param id its node id, from 1
     * @param listeners the listeners for clients; the first is also the one between the brokers, and the one this
     *     launcher asks whether the cluster has formed
     * @param controllerPort the controller quorum's listener
     */
    public record NodeLayout(int id, List<Listener> listeners, int controllerPort) {

        public Listener first() {
            return listeners.getFirst();
        }

        public String address() {
            return "localhost:" + first().port();
        }
    }

    /**
     * @param home the cluster's directory: a single node's data lies in it, several nodes' in {@code node-<id>/}
     * @param nodes the nodes
     * @param properties server properties over the defaults, for every node
     * @param jvmOptions options of the nodes' JVMs besides {@link #JVM_OPTIONS} (a logging configuration)
     * @param classpath the Kafka jars
     * @param logs where each node's output goes ({@code kafka.log}, or {@code kafka-<id>.log} of several)
     */
    public record Settings(
            Path home,
            List<NodeLayout> nodes,
            Map<String, String> properties,
            List<String> jvmOptions,
            String classpath,
            Path logs) {}

    private final Settings settings;
    private final Launcher launcher;
    private final Map<Integer, ChildProcess> running = new ConcurrentHashMap<>();

    public KafkaCluster(Settings settings, Launcher launcher) {
        this.settings = settings;
        this.launcher = launcher;
    }

    /**
     * Nodes with one {@code PLAINTEXT} listener each, as on a developer's machine: node {@code i} on {@code
     * firstPort} + 100·i, its controller on the port after it.
     */
    public static List<NodeLayout> localLayout(int nodes, int firstPort) {
        List<NodeLayout> layout = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            int port = firstPort + NODE_PORT_STEP * i;
            layout.add(new NodeLayout(i + 1, List.of(Listener.plain("PLAINTEXT", port)), port + 1));
        }
        return layout;
    }

    /** A replica per broker, three at most. */
    public static int replicationFactor(int brokers) {
        return Math.min(3, brokers);
    }

    /** Two replicas must have a record before it is acknowledged once there are three; one with fewer brokers. */
    public static int minInsyncReplicas(int brokers) {
        return brokers >= 3 ? 2 : 1;
    }

    public List<NodeLayout> nodes() {
        return settings.nodes();
    }

    public NodeLayout node(int id) {
        return settings.nodes().stream()
                .filter(n -> n.id() == id)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No node " + id));
    }

    /** Every node's first listener: what a client bootstraps from. */
    public String bootstrapServers() {
        return bootstrapServers(settings.nodes().getFirst().first().name());
    }

    /** Every node's listener of that name as its clients reach it (the advertised port). */
    public String bootstrapServers(String listener) {
        return settings.nodes().stream()
                .map(node -> "localhost:"
                        + node.listeners().stream()
                                .filter(l -> l.name().equals(listener))
                                .findFirst()
                                .orElseThrow()
                                .advertisedPort())
                .collect(Collectors.joining(","));
    }

    /** Where a node keeps its configuration and data. */
    public Path directory(int id) {
        return settings.nodes().size() == 1 ? settings.home() : settings.home().resolve("node-" + id);
    }

    public Path dataDirectory(int id) {
        return directory(id).resolve("data");
    }

    /** Whether no node has stored anything yet: the first start formats them. */
    public boolean fresh() {
        return settings.nodes().stream().noneMatch(n -> Files.exists(metaProperties(n.id())));
    }

    public Path log(int id) {
        return settings.logs().resolve(settings.nodes().size() == 1 ? "kafka.log" : "kafka-" + id + ".log");
    }

    public String name(int id) {
        return settings.nodes().size() == 1 ? "kafka" : "kafka-" + id;
    }

    /**
     * Starts every node that is not running, formatting those never started; does not wait for them to form the
     * cluster ({@link #awaitReady}).
     *
     * @throws Launcher.LaunchFailure when the data in the home belongs to a cluster of another size
     */
    public void start() throws IOException, InterruptedException {
        checkSize();
        for (NodeLayout node : settings.nodes()) {
            if (!isRunning(node.id())) {
                start(node.id());
            }
        }
    }

    /** Starts one node (again), formatting it if it was never started. */
    public ChildProcess start(int id) throws IOException, InterruptedException {
        NodeLayout node = node(id);
        Files.createDirectories(directory(id));
        Path config = directory(id).resolve("server.properties");
        Files.writeString(config, serverProperties(node));
        List<String> jvm = new ArrayList<>();
        jvm.add(Launcher.java().toString());
        jvm.addAll(JVM_OPTIONS);
        if (Runtime.version().feature() >= 23) {
            // Kafka's clients still unmap buffers through sun.misc.Unsafe; say yes without a warning.
            jvm.add("--sun-misc-unsafe-memory-access=allow");
        }
        jvm.addAll(settings.jvmOptions());
        jvm.add("-cp");
        jvm.add(settings.classpath());
        if (!Files.exists(metaProperties(id))) {
            format(id, jvm, config);
        }
        List<String> command = new ArrayList<>(jvm);
        command.add("kafka.Kafka");
        command.add(config.toString());
        ChildProcess process = launcher.spawn(name(id), Launcher.Role.INFRASTRUCTURE, command, Map.of(), log(id), null);
        ChildProcess before = running.put(id, process);
        if (before != null) {
            launcher.forget(before);
        }
        return process;
    }

    private Path metaProperties(int id) {
        return dataDirectory(id).resolve("meta.properties");
    }

    /**
     * A node's storage belongs to a fixed set of voters: data kept from a cluster of another size cannot be used
     * by this one.
     */
    private void checkSize() throws IOException {
        Path sizeFile = settings.home().resolve("nodes");
        int nodes = settings.nodes().size();
        if (Files.exists(sizeFile)) {
            int stored = Integer.parseInt(Files.readString(sizeFile).strip());
            if (stored != nodes) {
                throw new Launcher.LaunchFailure("The Kafka data in " + settings.home() + " belongs to a cluster of "
                        + stored + " node(s), not " + nodes + "; start it with as many, or start afresh.");
            }
        } else if (nodes > 1 && Files.exists(settings.home().resolve("data").resolve("meta.properties"))) {
            throw new Launcher.LaunchFailure("The Kafka data in " + settings.home()
                    + " belongs to a single node, not a cluster of " + nodes + "; start it with one, or start afresh.");
        }
        Files.createDirectories(settings.home());
        Files.writeString(sizeFile, nodes + "\n");
    }

    private void format(int id, List<String> jvm, Path config) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString()));
        ChildProcess storageTool =
                launcher.spawn(name(id) + "-storage", Launcher.Role.INFRASTRUCTURE, command, Map.of(), log(id), null);
        try {
            if (!storageTool.process().waitFor(90, TimeUnit.SECONDS)
                    || storageTool.process().exitValue() != 0) {
                storageTool.stop(Duration.ofSeconds(1));
                throw new Launcher.LaunchFailure(
                        "Could not format the Kafka storage in " + dataDirectory(id) + ":\n" + storageTool.tail(20));
            }
        } finally {
            launcher.forget(storageTool);
        }
    }

    /** Every node is formatted with the same cluster id, made up once and kept in the home. */
    private synchronized String clusterId() throws IOException {
        Path file = settings.home().resolve("cluster.id");
        if (!Files.exists(file)) {
            Files.createDirectories(settings.home());
            Files.writeString(file, Uuid.randomUuid() + "\n");
        }
        return Files.readString(file).strip();
    }

    /** The node's configuration, written at every start. */
    public String serverProperties(NodeLayout node) {
        int brokers = settings.nodes().size();
        String replication = Integer.toString(replicationFactor(brokers));
        String minInsync = Integer.toString(minInsyncReplicas(brokers));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(node.id()));
        properties.put(
                "controller.quorum.voters",
                settings.nodes().stream()
                        .map(n -> n.id() + "@localhost:" + n.controllerPort())
                        .collect(Collectors.joining(",")));
        properties.put(
                "listeners",
                node.listeners().stream()
                                .map(l -> l.name() + "://localhost:" + l.port())
                                .collect(Collectors.joining(","))
                        + ",CONTROLLER://localhost:" + node.controllerPort());
        properties.put(
                "advertised.listeners",
                node.listeners().stream()
                        .map(l -> l.name() + "://localhost:" + l.advertisedPort())
                        .collect(Collectors.joining(",")));
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", node.first().name());
        properties.put(
                "listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,"
                        + node.listeners().stream()
                                .map(l -> l.name() + ":PLAINTEXT")
                                .distinct()
                                .collect(Collectors.joining(",")));
        properties.put("log.dirs", dataDirectory(node.id()).toString());
        properties.put("num.partitions", "6");
        properties.put("default.replication.factor", replication);
        properties.put("min.insync.replicas", minInsync);
        properties.put("offsets.topic.replication.factor", replication);
        properties.put("transaction.state.log.replication.factor", replication);
        properties.put("transaction.state.log.min.isr", minInsync);
        properties.put("share.coordinator.state.topic.replication.factor", replication);
        properties.put("share.coordinator.state.topic.min.isr", minInsync);
        properties.put("group.initial.rebalance.delay.ms", "0");
        // One partition each serves a developer well and makes the first start quicker.
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.num.partitions", "1");
        // Fewer threads for a laptop's few cores than Kafka's defaults (3 network, 8 request, 10 background): a
        // handful of clients need no more, and each idle thread wakes up regularly.
        properties.put("num.network.threads", "1");
        properties.put("num.io.threads", "2");
        properties.put("background.threads", "2");
        properties.putAll(settings.properties());
        StringBuilder text = new StringBuilder("# Written by the launcher at every start; edits are lost.\n");
        properties.forEach(
                (key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    public boolean isRunning(int id) {
        ChildProcess process = running.get(id);
        return process != null && process.isAlive();
    }

    public ChildProcess process(int id) {
        return running.get(id);
    }

    /** SIGKILL: the node ends at once, without handing its leaderships over. */
    public void kill(int id) {
        ChildProcess process = running.remove(id);
        if (process != null) {
            process.kill();
            launcher.forget(process);
        }
    }

    /** SIGTERM: a controlled shutdown, its leaderships handed over first; SIGKILL after the grace period. */
    public void stop(int id) {
        ChildProcess process = running.remove(id);
        if (process != null) {
            process.stop(Launcher.INFRASTRUCTURE_STOP_GRACE);
            launcher.forget(process);
        }
    }

    /**
     * Waits until every running node has registered as a broker with the cluster, so that clients can use it and
     * topics get all their replicas.
     *
     * @throws Launcher.LaunchFailure with the last lines of its log when a node ends, or when they are not ready in
     *     time
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map.Entry<Integer, ChildProcess> node : running.entrySet()) {
                if (!node.getValue().isAlive()) {
                    node.getValue().awaitOutput(Duration.ofSeconds(2));
                    throw new Launcher.LaunchFailure(name(node.getKey()) + " ended while starting; its last lines ("
                            + log(node.getKey()) + "):\n" + node.getValue().tail(30));
                }
            }
            Set<Integer> expected = Set.copyOf(running.keySet());
            if (registered().containsAll(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Launcher.LaunchFailure("Kafka did not form its cluster within " + timeout.toSeconds()
                        + " s; see " + settings.logs() + ".");
            }
            ServiceInstance.pause(Duration.ofMillis(200));
        }
    }

    /** The ids of the brokers the cluster reports, asked of the running nodes; empty when none answers. */
    public Set<Integer> registered() {
        String bootstrap = settings.nodes().stream()
                .filter(n -> isRunning(n.id()))
                .map(NodeLayout::address)
                .collect(Collectors.joining(","));
        if (bootstrap.isEmpty()) {
            return Set.of();
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream()
                    .map(Node::id)
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            return Set.of();
        }
    }
}

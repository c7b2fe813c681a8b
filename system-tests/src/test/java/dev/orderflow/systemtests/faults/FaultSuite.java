package dev.orderflow.systemtests.faults;

import dev.orderflow.launcher.KafkaCluster;
import dev.orderflow.launcher.Launcher;
import dev.orderflow.launcher.Service;
import dev.orderflow.launcher.ServiceInstance;
import dev.orderflow.systemtests.Http;
import dev.orderflow.testsupport.Database;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.TcpProxy;
import dev.orderflow.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;

/**
 * The three service jars, each instance in its own JVM, on Kafka nodes of their own, all started by the {@link
 * Launcher}; each service with its own database on the tests' PostgreSQL server ({@link TestInfrastructure}).
 * Every network path of a service to its database goes through a {@link TcpProxy} the tests can cut, and with a
 * single broker ({@link Layout#faults()}) its path to Kafka too.
 *
 * <p>Each Kafka node has two client listeners: {@code TESTS}, which the tests use directly, and {@code SERVICE},
 * which the services use: advertised at the port of the proxy in front of it when there is one, so that the
 * services reach the broker only through the proxy.
 */
final class FaultSuite implements AutoCloseable {

    static final String ORDER_SERVICE = Service.ORDER.name();
    static final String PAYMENT_SERVICE = Service.PAYMENT.name();
    static final String NOTIFICATION_SERVICE = Service.NOTIFICATION.name();
    static final List<String> SERVICES = List.of(ORDER_SERVICE, PAYMENT_SERVICE, NOTIFICATION_SERVICE);
    static final String ADMIN_PASSWORD = "fault-admin";
    /** Generous: on two cores shared with other builds a service has taken over five minutes to start. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(600);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * What runs.
     *
     * @param brokers Kafka nodes, each a broker and a controller
     * @param instances instances of each service, started by {@link #startAll}
     * @param kafkaProxy whether the services reach the broker through a proxy (one broker only)
     * @param logs where the services' and the brokers' logs go
     */
    record Layout(int brokers, Map<String, Integer> instances, boolean kafkaProxy, Path logs) {

        /** One broker behind a proxy, one instance of each service. */
        static Layout faults() {
            return new Layout(
                    1,
                    Map.of(ORDER_SERVICE, 1, PAYMENT_SERVICE, 1, NOTIFICATION_SERVICE, 1),
                    true,
                    Path.of("target", "fault-injection"));
        }

        /**
         * A cluster of three brokers, each a controller too, and two instances of every service; the services reach
         * the brokers directly.
         */
        static Layout cluster() {
            return new Layout(
                    3,
                    Map.of(ORDER_SERVICE, 2, PAYMENT_SERVICE, 2, NOTIFICATION_SERVICE, 2),
                    false,
                    Path.of("target", "cluster-faults"));
        }
    }

    private record Slot(String service, int instance) {}

    private final Layout layout;
    private final Launcher launcher;
    final KafkaCluster cluster;
    /** The brokers as the tests reach them. */
    final String kafka;

    final KafkaTestClient kafkaClient;
    /** Between every service and the broker, with {@link Layout#kafkaProxy}; null otherwise. */
    final TcpProxy kafkaProxy;

    private final Map<String, Database> databases = new HashMap<>();
    private final Map<String, TcpProxy> databaseProxies = new HashMap<>();
    private final Map<Slot, Integer> ports = new LinkedHashMap<>();
    private final Map<Slot, ServiceInstance> running = new LinkedHashMap<>();
    private final List<ServiceInstance> extras = new ArrayList<>();
    private boolean closed;

    FaultSuite() {
        this(Layout.faults());
    }

    FaultSuite(Layout layout) {
        if (layout.kafkaProxy() && layout.brokers() != 1) {
            throw new IllegalArgumentException("One proxy stands in front of one broker");
        }
        this.layout = layout;
        Path home;
        try {
            Files.createDirectories(layout.logs());
            home = Files.createTempDirectory(layout.logs(), "suite-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launcher = new Launcher(home);
        List<KafkaCluster.NodeLayout> nodes = new ArrayList<>();
        TcpProxy proxy = null;
        for (int id = 1; id <= layout.brokers(); id++) {
            int service = freePort();
            if (layout.kafkaProxy()) {
                proxy = TcpProxy.start("kafka", "localhost", service);
            }
            nodes.add(new KafkaCluster.NodeLayout(
                    id,
                    List.of(
                            KafkaCluster.Listener.plain("TESTS", freePort()),
                            new KafkaCluster.Listener("SERVICE", service, proxy == null ? service : proxy.port())),
                    freePort()));
        }
        kafkaProxy = proxy;
        cluster = new KafkaCluster(
                new KafkaCluster.Settings(
                        home.resolve("kafka"),
                        nodes,
                        Map.of("auto.create.topics.enable", "false"),
                        List.of(),
                        System.getProperty("java.class.path"),
                        layout.logs()),
                launcher);
        // A test JVM that ends abruptly (a timeout, Ctrl-C) takes the services and the brokers with it.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fault-suite-shutdown"));
        // A suite that fails to start stops what it started at once: a shutdown hook may be cut short (surefire
        // kills its fork 30 s after the tests end) and leave brokers running.
        try {
            cluster.start();
            cluster.awaitReady(Duration.ofSeconds(90));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Could not start Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        kafka = cluster.bootstrapServers("TESTS");
        kafkaClient = new KafkaTestClient(kafka);

        for (String name : SERVICES) {
            Database database = TestInfrastructure.newDatabase(name.replace("-service", "") + "_faults");
            URI server = URI.create(database.url().substring("jdbc:".length()));
            databases.put(name, database);
            databaseProxies.put(name, TcpProxy.start(name + "-db", server.getHost(), server.getPort()));
            for (int i = 0; i < layout.instances().getOrDefault(name, 0); i++) {
                ports.put(new Slot(name, i), freePort());
            }
        }
        try {
            startAll();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts every instance of the layout that is not running, and waits until all are healthy. */
    void startAll() {
        launchMissing();
        List<ServiceInstance> all = List.copyOf(running.values());
        CompletableFuture.allOf(all.stream()
                        .map(p -> CompletableFuture.runAsync(() -> p.awaitHealthy(START_TIMEOUT)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** Starts every instance of the layout that is not running, without waiting for it. */
    List<ServiceInstance> launchMissing() {
        List<ServiceInstance> started = new ArrayList<>();
        ports.forEach((slot, port) -> {
            if (!running.containsKey(slot)) {
                ServiceInstance instance = launch(slot.service(), slot.instance(), port);
                running.put(slot, instance);
                started.add(instance);
            }
        });
        return started;
    }

    /** One more instance of a service: same database, same consumer group, another port. */
    ServiceInstance startAnotherInstance(String name) {
        int instance = layout.instances().getOrDefault(name, 0)
                + (int) extras.stream()
                        .filter(e -> e.service().name().equals(name))
                        .count();
        ServiceInstance extra = launch(name, instance, freePort());
        extras.add(extra);
        return extra;
    }

    private ServiceInstance launch(String name, int instance, int port) {
        Database database = databases.get(name);
        Map<String, String> environment = new HashMap<>(ServiceInstance.contractEnvironment(
                port,
                viaProxy(name),
                database.username(),
                database.password(),
                kafkaProxy != null ? kafkaProxy.address() : cluster.bootstrapServers("SERVICE")));
        environment.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
        Service service = Service.named(name);
        // Kafka's default of 45 s before a killed consumer's partitions go to another would only slow the
        // tests down. A connection is waited for 2 s, not HikariCP's 30 s, so that a database outage of a few
        // seconds fails a record's processing (and must be retried) rather than only holding it up. The topics
        // are created with the default of 6 partitions by the services themselves.
        return ServiceInstance.start(
                launcher,
                new ServiceInstance.Spec(
                        service,
                        instance,
                        port,
                        service.jar(Path.of(System.getProperty("orderflow.root", "..")), null),
                        List.of("-Xss512k"),
                        environment,
                        List.of(
                                "--spring.kafka.consumer.properties.session.timeout.ms=10000",
                                "--spring.datasource.hikari.connection-timeout=2000",
                                // tells the instances' consumers apart in the group's description
                                "--spring.kafka.client-id=" + clientId(name, port)),
                        layout.logs()
                                .resolve(service.instanceName(instance) + "-" + port + "-"
                                        + Instant.now().toEpochMilli() + ".log"),
                        null));
    }

    private String viaProxy(String name) {
        URI server = URI.create(databases.get(name).url().substring("jdbc:".length()));
        return "jdbc:postgresql://" + databaseProxies.get(name).address() + server.getPath();
    }

    /** The first instance of the service. */
    ServiceInstance service(String name) {
        return service(name, 0);
    }

    ServiceInstance service(String name, int instance) {
        return running.get(new Slot(name, instance));
    }

    /** Every live instance of the service, the layout's and the extra ones. */
    List<ServiceInstance> instances(String name) {
        return Stream.concat(running.values().stream(), extras.stream())
                .filter(i -> i.service().name().equals(name) && i.isAlive())
                .toList();
    }

    String baseUrl(String name) {
        return baseUrl(name, 0);
    }

    String baseUrl(String name, int instance) {
        return "http://localhost:" + ports.get(new Slot(name, instance));
    }

    /** The base URLs of the layout's instances of the service. */
    List<String> baseUrls(String name) {
        return ports.keySet().stream()
                .filter(slot -> slot.service().equals(name))
                .map(slot -> baseUrl(name, slot.instance()))
                .toList();
    }

    /** Kills the first instance with SIGKILL; {@link #startAll()} brings it back on the same port. */
    void kill(String name) {
        kill(name, 0);
    }

    void kill(String name, int instance) {
        running.remove(new Slot(name, instance)).kill();
    }

    /** Stops the first instance with SIGTERM; {@link #startAll()} brings it back on the same port. */
    void stop(String name) {
        stop(name, 0);
    }

    void stop(String name, int instance) {
        running.remove(new Slot(name, instance)).stop();
    }

    /** The sum of a counter's samples (all tags) in the Prometheus scrape of the service's first instance. */
    double counter(String name, String prometheusName) {
        return counter(service(name), prometheusName);
    }

    static double counter(ServiceInstance instance, String prometheusName) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/actuator/prometheus"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .lines()
                    .filter(line -> line.startsWith(prometheusName + " ") || line.startsWith(prometheusName + "{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    TcpProxy databaseProxy(String name) {
        return databaseProxies.get(name);
    }

    /** A direct connection to the service's database, not through its proxy. */
    Connection connect(String name) {
        Database database = databases.get(name);
        try {
            return DriverManager.getConnection(database.url(), database.username(), database.password());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not connect to the database of " + name, e);
        }
    }

    /** Delivers every event of the topic so far a second time: same key, value and headers. */
    int resendAll(String topic) {
        List<ProducerRecord<String, byte[]>> copies = kafkaClient.readAll(topic).stream()
                .map(r -> new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()))
                .toList();
        kafkaClient.sendAll(copies);
        return copies.size();
    }

    /**
     * Moves each service's consumer group back to the start of the topic it consumes. The services must be
     * stopped: Kafka changes the offsets of an empty group only.
     */
    void resetConsumerGroupsToStart() {
        try (Admin admin = admin()) {
            for (Map.Entry<String, String> consumer : Invariants.CONSUMES.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                for (int p = 0; p < 6; p++) {
                    start.put(new TopicPartition(consumer.getValue(), p), new OffsetAndMetadata(0));
                }
                admin.alterConsumerGroupOffsets(consumer.getKey(), start).all().get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not reset the consumer groups", e);
        }
    }

    /** The client id of an instance's Kafka clients: its consumers' ids start with it. */
    static String clientId(String service, int port) {
        return service + "-" + port;
    }

    /** The partitions that the consumers of this instance of the service have been assigned in its group. */
    Set<TopicPartition> partitionsOf(ServiceInstance instance) {
        String group = instance.service().name();
        String clientId = clientId(group, instance.port());
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .filter(member -> member.clientId().startsWith(clientId))
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe " + group, e);
        }
    }

    /** How many consumers of the group have partitions assigned. */
    int assignedMembers(String group) {
        try (Admin admin = admin()) {
            return (int) admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty())
                    .count();
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe " + group, e);
        }
    }

    /**
     * Makes order-service's database refuse every change to this customer's orders, as a fault an operator
     * can remove: their payment outcomes fail and are dead-lettered until {@link #release()}.
     */
    void hold(String customer) {
        execute(ORDER_SERVICE, """
                CREATE OR REPLACE FUNCTION hold_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'order %% is on hold', OLD.id; END $$;
                CREATE TRIGGER hold_order BEFORE UPDATE ON orders FOR EACH ROW
                WHEN (OLD.customer_id = '%s') EXECUTE FUNCTION hold_order()""".formatted(customer));
    }

    /** Lifts {@link #hold}. */
    void release() {
        execute(ORDER_SERVICE, "DROP TRIGGER hold_order ON orders; DROP FUNCTION hold_order()");
    }

    void execute(String service, String sql) {
        try (Connection connection = connect(service);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(service + ": " + sql, e);
        }
    }

    /** The service's dead letters over its admin API, newest first (up to 100). */
    List<JsonNode> deadLetters(String service) {
        return Http.get(baseUrl(service) + "/api/admin/dead-letters?size=100", "Authorization", basicAuth())
                .body()
                .get("content")
                .valueStream()
                .toList();
    }

    /** Replays a dead letter into the service over its admin API. */
    Http.Response replay(String service, long id) {
        return Http.post(
                baseUrl(service) + "/api/admin/dead-letters/" + id + "/replay", "", "Authorization", basicAuth());
    }

    private static String basicAuth() {
        return "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        launcher.stopAll(message -> {});
        running.clear();
        if (kafkaProxy != null) {
            kafkaProxy.close();
        }
        databaseProxies.values().forEach(TcpProxy::close);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

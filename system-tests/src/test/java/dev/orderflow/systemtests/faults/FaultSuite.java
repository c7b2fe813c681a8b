package dev.orderflow.systemtests.faults;

import dev.orderflow.systemtests.Http;
import dev.orderflow.testsupport.Database;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.TcpProxy;
import dev.orderflow.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;

/**
 * The three service jars, each in its own JVM with its own database, on a Kafka broker of their own, with
 * every network path of a service going through a {@link TcpProxy} the tests can cut: one in front of the
 * broker for all services, one in front of each service's database.
 *
 * <p>The broker is Apache Kafka's own, in a JVM of its own ({@link KafkaProcess}): its {@code SERVICE}
 * listener is advertised at the proxy's port, so the services reach the broker only through the proxy; the
 * tests read and write through its {@code TESTS} listener directly. PostgreSQL is the tests' shared server
 * ({@link TestInfrastructure}).
 */
final class FaultSuite implements AutoCloseable {

    static final String ORDER_SERVICE = "order-service";
    static final String PAYMENT_SERVICE = "payment-service";
    static final String NOTIFICATION_SERVICE = "notification-service";
    static final List<String> SERVICES = List.of(ORDER_SERVICE, PAYMENT_SERVICE, NOTIFICATION_SERVICE);
    static final String ADMIN_PASSWORD = "fault-admin";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final KafkaProcess broker;
    /** The broker as the tests reach it. */
    final String kafka;

    final KafkaTestClient kafkaClient;
    /** Between every service and the broker. */
    final TcpProxy kafkaProxy;

    private final Map<String, Database> databases = new HashMap<>();
    private final Map<String, TcpProxy> databaseProxies = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, ServiceProcess> running = new HashMap<>();
    private final List<ServiceProcess> extras = new ArrayList<>();
    private final Path logs = Path.of("target", "fault-injection");
    private boolean closed;

    FaultSuite() {
        int service = freePort();
        kafkaProxy = TcpProxy.start("kafka", "localhost", service);
        broker = KafkaProcess.start(logs, freePort(), service, kafkaProxy.port(), freePort());
        kafka = broker.bootstrapServers;
        kafkaClient = new KafkaTestClient(kafka);

        for (String name : SERVICES) {
            Database database = TestInfrastructure.newDatabase(name.replace("-service", "") + "_faults");
            URI server = URI.create(database.url().substring("jdbc:".length()));
            databases.put(name, database);
            databaseProxies.put(name, TcpProxy.start(name + "-db", server.getHost(), server.getPort()));
            ports.put(name, freePort());
        }
        // A test JVM that ends abruptly (a timeout, Ctrl-C) takes the services and the broker with it.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fault-suite-shutdown"));
        startAll();
    }

    /** Starts every service that is not running, and waits until all are healthy. */
    void startAll() {
        launchMissing();
        CompletableFuture.allOf(List.copyOf(running.values()).stream()
                        .map(p -> CompletableFuture.runAsync(() -> p.awaitHealthy(START_TIMEOUT)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** Starts every service that is not running, without waiting for it. */
    List<ServiceProcess> launchMissing() {
        return SERVICES.stream()
                .filter(name -> !running.containsKey(name))
                .map(name -> {
                    ServiceProcess process = launch(name, ports.get(name));
                    running.put(name, process);
                    return process;
                })
                .toList();
    }

    /** A second instance of a service: same database, same consumer group, another port. */
    ServiceProcess startAnotherInstance(String name) {
        ServiceProcess extra = launch(name, freePort());
        extras.add(extra);
        return extra;
    }

    private ServiceProcess launch(String name, int port) {
        Database database = databases.get(name);
        Map<String, String> environment = new HashMap<>();
        environment.put("SPRING_DATASOURCE_URL", viaProxy(name));
        environment.put("SPRING_DATASOURCE_USERNAME", database.username());
        environment.put("SPRING_DATASOURCE_PASSWORD", database.password());
        environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafkaProxy.address());
        environment.put("ADMIN_PASSWORD", ADMIN_PASSWORD);
        // Kafka's default of 45 s before a killed consumer's partitions go to another would only slow the
        // tests down. A connection is waited for 2 s, not HikariCP's 30 s, so that a database outage of a few
        // seconds fails a record's processing (and must be retried) rather than only holding it up. The topics
        // are created with the default of 6 partitions by the services themselves.
        return ServiceProcess.start(
                name,
                port,
                environment,
                List.of(
                        "--spring.kafka.consumer.properties.session.timeout.ms=10000",
                        "--spring.datasource.hikari.connection-timeout=2000",
                        // tells the instances' consumers apart in the group's description
                        "--spring.kafka.client-id=" + clientId(name, port)),
                logs);
    }

    private String viaProxy(String name) {
        URI server = URI.create(databases.get(name).url().substring("jdbc:".length()));
        return "jdbc:postgresql://" + databaseProxies.get(name).address() + server.getPath();
    }

    ServiceProcess service(String name) {
        return running.get(name);
    }

    String baseUrl(String name) {
        return "http://localhost:" + ports.get(name);
    }

    /** Kills the service with SIGKILL; {@link #startAll()} brings it back on the same port. */
    void kill(String name) {
        running.remove(name).kill();
    }

    /** Stops the service with SIGTERM; {@link #startAll()} brings it back on the same port. */
    void stop(String name) {
        running.remove(name).stop();
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

    /** How many consumers of the group have partitions assigned. */
    static String clientId(String service, int port) {
        return service + "-" + port;
    }

    /** The partitions that the consumers of this instance of the service have been assigned in its group. */
    Set<TopicPartition> partitionsOf(ServiceProcess instance) {
        String clientId = clientId(instance.service, instance.port);
        try (Admin admin = admin()) {
            return admin
                    .describeConsumerGroups(List.of(instance.service))
                    .all()
                    .get()
                    .get(instance.service)
                    .members()
                    .stream()
                    .filter(member -> member.clientId().startsWith(clientId))
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe " + instance.service, e);
        }
    }

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
        extras.forEach(ServiceProcess::stop);
        running.values().forEach(ServiceProcess::stop);
        running.clear();
        broker.close();
        kafkaProxy.close();
        databaseProxies.values().forEach(TcpProxy::close);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

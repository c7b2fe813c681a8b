package dev.orderflow.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.launcher.Launcher;
import dev.orderflow.launcher.Service;
import dev.orderflow.launcher.ServiceInstance;
import dev.orderflow.testsupport.EventStreamClient;
import dev.orderflow.testsupport.SseParser;
import dev.orderflow.testsupport.Waits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./run-local.sh --brokers 3 --instances 2} as a user runs it, from a fresh home: the runner in a JVM of its
 * own (the command line run-local.sh ends with, less the AOT training, which a build's first start does once),
 * all its ports moved by one offset so that it runs beside anything on the contract's ports.
 */
class RunLocalClusterIntegrationTest {

    private static final Duration COMING_UP = Duration.ofMinutes(12);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Process suite;
    private Path console;

    @AfterEach
    void stopTheSuite() throws Exception {
        if (suite == null || !suite.isAlive()) {
            return;
        }
        // SIGTERM, as Ctrl-C: the runner stops its parts itself
        suite.destroy();
        if (!suite.waitFor(3, TimeUnit.MINUTES)) {
            suite.descendants().forEach(ProcessHandle::destroyForcibly);
            suite.destroyForcibly();
        }
    }

    @Test
    void threeBrokersAndTwoInstancesComeUpAndAnOrderPlacedOnAnyInstanceIsNotifiedOnEveryNotificationStream()
            throws Exception {
        int offset = freeOffset();
        Path home = Files.createTempDirectory(Path.of("target"), "run-local-cluster-");
        console = home.resolveSibling(home.getFileName() + ".console.log");
        suite = new ProcessBuilder(
                        Launcher.java().toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-Dlocalsuite.root=" + Path.of("..").toAbsolutePath().normalize(),
                        "-Dlocalsuite.home=" + home.toAbsolutePath(),
                        // on a machine busy with other builds, nine JVMs take a while
                        "-Dlocalsuite.start-timeout-seconds=" + COMING_UP.toSeconds(),
                        "-cp",
                        System.getProperty("localsuite.classpath", System.getProperty("java.class.path")),
                        LocalSuite.class.getName(),
                        "--brokers",
                        "3",
                        "--instances",
                        "2",
                        "--port-offset",
                        Integer.toString(offset),
                        "--no-aot",
                        "--quiet")
                .redirectErrorStream(true)
                .redirectOutput(console.toFile())
                .start();

        List<String> all = new ArrayList<>();
        for (int instance = 0; instance < 2; instance++) {
            for (Service service : Service.ALL) {
                all.add(url(service, instance, offset));
            }
        }
        assertThat(all)
                .as("instance i on the contract's port + 100·i")
                .contains("http://localhost:" + (8180 + offset), "http://localhost:" + (8182 + offset));
        try {
            await("every instance healthy (the runner's output is in " + console + ")")
                    .atMost(COMING_UP)
                    .pollInterval(Duration.ofSeconds(2))
                    .failFast("the runner ended; its output is in " + console, () -> !suite.isAlive())
                    .until(() -> all.stream().allMatch(ServiceInstance::healthy));
        } catch (TerminalFailureException e) {
            // leniently decoded: whatever the runner wrote must not hide why it ended
            throw new AssertionError(
                    "the runner ended; it wrote (" + console + "):\n"
                            + new String(Files.readAllBytes(console), StandardCharsets.UTF_8),
                    e);
        }

        String customer = "cluster-" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (EventStreamClient client = new EventStreamClient()) {
            List<EventStreamClient.Stream> streams = IntStream.range(0, 2)
                    .mapToObj(i -> client.open(URI.create(
                            url(Service.NOTIFICATION, i, offset) + "/api/notifications/stream?customerId=" + customer)))
                    .toList();
            Waits.eventually().until(() -> streams.stream().allMatch(EventStreamClient.Stream::connected));

            List<String> orders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                orders.add(place(url(Service.ORDER, i, offset), customer));
            }
            for (int i = 0; i < orders.size(); i++) {
                // read on the other instance than the one that took it
                String order = url(Service.ORDER, 1 - i, offset) + "/api/orders/" + orders.get(i);
                Waits.eventually().until(() -> get(order).path("status").asString(), "CONFIRMED"::equals);
            }
            List<String> expected = orders.stream()
                    .flatMap(id -> List.of(id + " ORDER_PLACED", id + " ORDER_CONFIRMED").stream())
                    .toList();
            for (EventStreamClient.Stream stream : streams) {
                Waits.eventually().until(() -> notified(stream).containsAll(expected));
                assertThat(notified(stream)).containsExactlyInAnyOrderElementsOf(expected);
            }
            streams.forEach(EventStreamClient.Stream::close);
        }
        // by now the topic exists: a service that could not create it at its start did before it first published
        assertThat(replication("localhost:" + (9092 + offset), "order-events"))
                .as("replicas and min.insync.replicas of order-events")
                .isEqualTo(Map.of("replicas", 3, "min.insync.replicas", 2));

        suite.destroy();
        assertThat(suite.waitFor(3, TimeUnit.MINUTES))
                .as("the runner stops within 3 minutes of SIGTERM")
                .isTrue();
        assertThat(suite.descendants().filter(ProcessHandle::isAlive).toList())
                .as("nothing left running")
                .isEmpty();
    }

    private static String url(Service service, int instance, int offset) {
        return "http://localhost:" + service.port(offset, instance);
    }

    /**
     * A port offset at which every port of the suite (3 brokers, 2 instances) is free, and stays free: all of them
     * below the kernel's range of ephemeral ports, from which the suite's own outgoing connections (brokers to one
     * another, connection pools) take their local ports while its later parts have yet to bind theirs. On a machine
     * whose ephemeral range leaves no room below it, any offset that keeps the ports under 65536.
     */
    private static int freeOffset() {
        int top = ports(0).stream().mapToInt(Integer::intValue).max().orElseThrow();
        int below = EphemeralPorts.ofThisMachine()
                        .orElse(new EphemeralPorts(32_768, 60_999))
                        .from()
                - 1
                - top;
        int highest = below > 10_000 ? below : 65_535 - top;
        for (int attempt = 0; attempt < 100; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(10_000, highest + 1);
            if (ports(offset).stream().allMatch(RunLocalClusterIntegrationTest::free)) {
                return offset;
            }
        }
        throw new IllegalStateException("No free port offset found");
    }

    /** Every port the suite listens on at this offset, as the runner lays them out. */
    private static List<Integer> ports(int offset) {
        return Options.parse(List.of("--brokers", "3", "--instances", "2", "--port-offset", Integer.toString(offset)))
                .ports();
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String place(String orderService, String customer) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(orderService + "/api/orders"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"customerId": "%s", "currency": "EUR",
                                 "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": 10.00}]}""".formatted(customer)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("orderId").asString();
    }

    private static JsonNode get(String url) throws Exception {
        return JSON.readTree(
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    private static List<String> notified(EventStreamClient.Stream stream) {
        return stream.events.stream()
                .map(RunLocalClusterIntegrationTest::orderAndType)
                .toList();
    }

    private static String orderAndType(SseParser.Event event) {
        return JSON.readTree(event.data()).get("orderId").asString() + " " + event.type();
    }

    private static Map<String, Integer> replication(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicDescription description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return Map.of(
                    "replicas",
                    description.partitions().getFirst().replicas().size(),
                    "min.insync.replicas",
                    Integer.parseInt(config.get("min.insync.replicas").value()));
        }
    }
}

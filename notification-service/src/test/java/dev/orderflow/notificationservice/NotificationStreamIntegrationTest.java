package dev.orderflow.notificationservice;

import static dev.orderflow.testsupport.OrderEvents.confirmed;
import static dev.orderflow.testsupport.OrderEvents.newCustomer;
import static dev.orderflow.testsupport.OrderEvents.placed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.notificationservice.notification.NotificationCenter;
import dev.orderflow.notificationservice.notification.OrderStep;
import dev.orderflow.notificationservice.notification.live.LiveNotifications;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.EventStreamClient;
import dev.orderflow.testsupport.EventStreamClient.Stream;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.RealInfrastructure;
import dev.orderflow.testsupport.SseParser.Event;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The live stream as clients meet it: a plain HTTP client reading {@code text/event-stream} line by line. */
@SpringBootTest(
        classes = NotificationServiceApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=notification-service",
            "notifications.stream.heartbeat=300ms",
            // servesHundredsOfSubscribersWithoutAThreadEach opens 300 streams for one customer
            "notifications.stream.max-per-customer=400",
            // So that within the tests' patience only an announcement on the channel brings a notification.
            "notifications.stream.poll-interval=1h"
        })
@RealInfrastructure
class NotificationStreamIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    EventCodec codec;

    @Autowired
    LiveNotifications live;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Environment environment;

    @Autowired
    KafkaTestClient kafka;

    EventStreamClient client;

    @BeforeEach
    void connect() {
        client = new EventStreamClient();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void streamsEachNewNotificationOfItsCustomerWithSequenceTypeAndJson() {
        String customer = newCustomer();
        try (Stream stream = subscribe(customer)) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));

            OrderPlaced placed = placed(customer);
            RecordMetadata partition = kafka.send(codec.record(placed));
            // Someone else's notification, stored between the customer's two.
            kafka.send(KafkaTestClient.onPartition(codec.record(placed(newCustomer())), partition.partition()));
            kafka.send(codec.record(confirmed(placed)));

            eventually().until(() -> stream.events.size() >= 2);
            assertThat(stream.events).extracting(Event::type).containsExactly("ORDER_PLACED", "ORDER_CONFIRMED");
            List<JsonNode> listed = listed(customer).reversed();
            for (int i = 0; i < 2; i++) {
                Event event = stream.events.get(i);
                JsonNode data = JSON.readTree(event.data());
                assertThat(data.get("sequence").asLong()).isEqualTo(event.sequence());
                assertThat(data.get("type").asString()).isEqualTo(event.type());
                assertThat(data.get("orderId").asString())
                        .isEqualTo(placed.orderId().toString());
                // The same notification, field for field, as the list endpoint gives it.
                assertThat(data).isEqualTo(listed.get(i));
            }
        }
    }

    @Test
    void aClientResumingWithLastEventIdGetsWhatItMissedThenLiveOnesWithoutGapOrDuplicate() {
        String customer = newCustomer();
        OrderPlaced placed = placed(customer);
        long seen;
        try (Stream stream = subscribe(customer)) {
            kafka.send(codec.record(placed));
            eventually().until(() -> !stream.events.isEmpty());
            seen = stream.events.getFirst().sequence();
        }
        // While the client is away.
        kafka.send(codec.record(confirmed(placed)));
        kafka.send(codec.record(new OrderCancelled(UUID.randomUUID(), Instant.now(), placed.orderId(), customer)));
        awaitListed(customer, 3);

        // More orders are stored while the client reconnects: some before its catch-up, some during, some
        // after; each must come exactly once, in sequence order.
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 8; i++) {
                kafka.send(codec.record(placed(customer)));
            }
        });
        try (Stream resumed = subscribe(customer, "Last-Event-ID", String.valueOf(seen))) {
            burst.join();
            List<Long> missedAndBurst = sequencesAfter(customer, seen, 10);
            eventually().until(() -> resumed.events.size() >= 10);
            assertThat(resumed.sequences()).containsExactlyElementsOf(missedAndBurst);
            assertThat(resumed.events.subList(0, 2))
                    .extracting(Event::type)
                    .containsExactly("ORDER_CONFIRMED", "ORDER_CANCELLED");

            OrderPlaced later = placed(customer);
            kafka.send(codec.record(later));
            eventually().until(() -> resumed.events.size() >= 11);
            List<Long> all = sequencesAfter(customer, seen, 11);
            assertThat(resumed.sequences()).containsExactlyElementsOf(all);
            assertThat(JSON.readTree(resumed.events.getLast().data())
                            .get("orderId")
                            .asString())
                    .isEqualTo(later.orderId().toString());
        }
    }

    @Test
    void keepsAnIdleStreamOpenWithHeartbeatComments() {
        try (Stream stream = subscribe(newCustomer())) {
            eventually().until(() -> stream.comments.get() >= 3);
            assertThat(stream.events).isEmpty();
            assertThat(stream.ended).isFalse();
        }
    }

    @Test
    void deliversANotificationStoredByAnotherInstanceOfTheService() {
        String customer = newCustomer();
        // A second instance on the same database; it consumes nothing, the test stores through it directly.
        try (ConfigurableApplicationContext other = NotificationServiceApplication.application()
                        .run(
                                "--server.port=0",
                                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password"),
                                "--spring.kafka.bootstrap-servers="
                                        + environment.getProperty("spring.kafka.bootstrap-servers"),
                                "--spring.kafka.listener.auto-startup=false");
                Stream stream = subscribe(customer)) {
            OrderPlaced placed = placed(customer);

            other.getBean(NotificationCenter.class)
                    .notify(List.of(
                            OrderStep.placed(placed.orderId(), customer, 1, placed.total(), placed.currency())));

            eventually().until(() -> !stream.events.isEmpty());
            Event event = stream.events.getFirst();
            assertThat(event.type()).isEqualTo("ORDER_PLACED");
            assertThat(JSON.readTree(event.data()).get("orderId").asString())
                    .isEqualTo(placed.orderId().toString());
        }
    }

    @Test
    void keepsDeliveringAfterItsListeningConnectionIsLost() {
        String customer = newCustomer();
        try (Stream stream = subscribe(customer)) {
            Set<Integer> before = Set.copyOf(listenerBackends());
            assertThat(before).isNotEmpty();

            jdbc.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(?)")
                    .param(before.toArray(Integer[]::new))
                    .query()
                    .listOfRows();
            eventually().until(() -> {
                List<Integer> now = listenerBackends();
                return !now.isEmpty() && now.stream().noneMatch(before::contains);
            });

            kafka.send(codec.record(placed(customer)));
            eventually().until(() -> !stream.events.isEmpty());
            assertThat(stream.events).extracting(Event::type).containsExactly("ORDER_PLACED");
        }
    }

    @Test
    void servesHundredsOfSubscribersWithoutAThreadEach() {
        int subscribers = 300;
        String customer = newCustomer();
        try (Stream first = subscribe(customer)) {
            // Threads that start with the first stream, of the server and of the client, are no growth.
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        threads.resetPeakThreadCount();

        List<Stream> streams = new ArrayList<>();
        try {
            // One after the other: each is answered before the next is opened, so that a pool that grows with
            // concurrent requests does not count. A stream that kept a thread would keep one each.
            IntStream.range(0, subscribers).forEach(i -> streams.add(subscribe(customer)));
            assertThat(streams)
                    .allSatisfy(stream -> assertThat(stream.statusCode()).isEqualTo(200));
            assertThat(live.subscriptionCount()).isGreaterThanOrEqualTo(subscribers);

            OrderPlaced placed = placed(customer);
            kafka.send(codec.record(placed));
            eventually().until(() -> streams.stream().allMatch(stream -> stream.events.size() == 1));

            int peak = threads.getPeakThreadCount();
            assertThat(peak - before)
                    .as("live threads grew from %d to at most %d for %d open streams", before, peak, subscribers)
                    .isLessThan(50);
        } finally {
            streams.forEach(Stream::close);
        }
    }

    @Test
    void treatsALastEventIdBeyondTheNewestAsAFreshSubscription() {
        String customer = newCustomer();
        try (Stream stream = subscribe(customer, "Last-Event-ID", "9223372036854775806")) {
            assertThat(stream.statusCode()).isEqualTo(200);

            kafka.send(codec.record(placed(customer)));

            eventually().until(() -> !stream.events.isEmpty());
            assertThat(stream.events).extracting(Event::type).containsExactly("ORDER_PLACED");
        }
    }

    @Test
    void refusesAStreamForAMissingOrInvalidCustomerOrLastEventIdWithAProblem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String query : List.of("", "?customerId=", "?customerId=" + "a".repeat(65))) {
            assertProblem(http, query, null);
        }
        assertProblem(http, "?customerId=alice", "not-a-number");
        assertProblem(http, "?customerId=alice", "-1");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void assertProblem(HttpClient http, String query, String lastEventId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/notifications/stream" + query))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(query + " " + lastEventId).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(400);
    }

    private Stream open(String customer, String... headers) {
        return client.open(
                URI.create("http://localhost:" + port + "/api/notifications/stream?customerId="
                        + URLEncoder.encode(customer, StandardCharsets.UTF_8)),
                headers);
    }

    /** Opens a stream and waits until the service has taken the subscription (its response has begun). */
    private Stream subscribe(String customer, String... headers) {
        Stream stream = open(customer, headers);
        eventually().until(stream::connected);
        return stream;
    }

    private List<Integer> listenerBackends() {
        return jdbc.sql("""
                SELECT pid FROM pg_stat_activity
                WHERE application_name = 'notification-listener' AND datname = current_database()""").query(Integer.class).list();
    }

    /** The customer's notifications, newest first, through the list endpoint. */
    private List<JsonNode> listed(String customer) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                            + "/api/notifications?size=100&customerId=" + customer))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return StreamSupport.stream(
                            JSON.readTree(response.body()).get("content").spliterator(), false)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> awaitListed(String customer, int count) {
        return eventually().until(() -> listed(customer), all -> all.size() >= count);
    }

    /** The sequences of a customer's notifications after one, ascending, once there are as many as expected. */
    private List<Long> sequencesAfter(String customer, long sequence, int expected) {
        List<Long> after = awaitListed(customer, expected + 1).stream()
                .map(n -> n.get("sequence").asLong())
                .filter(s -> s > sequence)
                .sorted()
                .toList();
        assertThat(after).hasSize(expected);
        return after;
    }

    private static ConditionFactory eventually() {
        return Waits.eventually(Duration.ofMillis(50));
    }
}

package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class NotificationStreamsUnitTest {

    private static final List<String> CUSTOMERS =
            IntStream.range(0, 100).mapToObj(i -> "c-" + i).toList();

    /** Streams the test server has subscribed. */
    private final AtomicInteger subscribed = new AtomicInteger();
    /** Holds every stream open until the test ends. */
    private final CountDownLatch end = new CountDownLatch(1);

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;

    /** notification-service as it is: subscribes, then answers only with the first event or heartbeat. */
    private interface Stream {
        void handle(HttpExchange exchange, String customerId) throws Exception;
    }

    private NotificationStreams streams(Stream stream) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/notifications/stream", exchange -> {
            try {
                stream.handle(exchange, exchange.getRequestURI().getQuery().replace("customerId=", ""));
                end.await();
            } catch (Exception e) {
                // the test is over
            } finally {
                exchange.close();
            }
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new NotificationStreams(
                client, List.of(base), new OrderTracker(), JsonMapper.builder().build());
    }

    @AfterEach
    void stop() {
        end.countDown();
        if (server != null) {
            server.stop(0);
        }
        client.close();
    }

    @Test
    void putsCustomerKsStreamOnInstanceKModTheirNumber() {
        List<URI> two = List.of(URI.create("http://localhost:8082"), URI.create("http://localhost:8182"));

        assertThat(IntStream.range(0, 5).mapToObj(k -> NotificationStreams.base(two, k)))
                .containsExactly(two.get(0), two.get(1), two.get(0), two.get(1), two.get(0));
        assertThat(NotificationStreams.base(List.of(two.get(1)), 7)).isEqualTo(two.get(1));
    }

    @Test
    void opensOnTheServicesCountOfSubscriptionsBeforeAnyStreamAnswers() throws Exception {
        // 20 streams of someone else's are open already; the last 10 of ours subscribe a second late
        try (NotificationStreams streams = streams((exchange, customer) -> {
            if (Integer.parseInt(customer.substring(2)) >= 90) {
                Thread.sleep(1000);
            }
            subscribed.incrementAndGet();
        })) {
            NotificationStreams.Opened opened =
                    streams.open(CUSTOMERS, Duration.ofSeconds(30), () -> 20.0 + subscribed.get());

            assertThat(opened).isEqualTo(NotificationStreams.Opened.SUBSCRIBED);
            assertThat(subscribed.get()).isEqualTo(100);
        }
    }

    @Test
    void waitsForEveryAnswerWhereTheServiceDoesNotCount() throws Exception {
        try (NotificationStreams streams = streams((exchange, customer) -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().flush();
        })) {
            NotificationStreams.Opened opened = streams.open(CUSTOMERS, Duration.ofSeconds(30), () -> null);

            assertThat(opened).isEqualTo(NotificationStreams.Opened.ANSWERED);
            assertThat(streams.size()).isEqualTo(100);
        }
    }

    @Test
    void aStreamRefusedFailsTheOpeningAtOnce() throws Exception {
        try (NotificationStreams streams = streams((exchange, customer) -> {
            if (customer.equals("c-13")) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                subscribed.incrementAndGet();
            }
        })) {
            long started = System.nanoTime();

            assertThatExceptionOfType(ExecutionException.class)
                    .isThrownBy(() -> streams.open(CUSTOMERS, Duration.ofSeconds(30), () -> (double) subscribed.get()))
                    .withMessageContaining("c-13 answered 503");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }
}

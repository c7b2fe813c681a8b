package dev.orderflow.bench;

import dev.orderflow.testsupport.SseLines;
import dev.orderflow.testsupport.SseParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One live notification stream per customer ({@code GET /api/notifications/stream?customerId=}: the
 * stream takes one customer, there is none of everyone's), customer k's on instance k mod n of
 * notification-service, each read as it arrives and handed to the
 * {@link OrderTracker} with its arrival time. A stream that ends is opened again with {@code
 * Last-Event-ID}, so nothing is missed; what it missed arrives late and counts late.
 */
final class NotificationStreams implements AutoCloseable {

    /** Connections opened at once, then a pause: the server's accept queue holds 100 by default. */
    private static final int OPEN_AT_ONCE = 50;

    private final HttpClient client;
    private final List<URI> bases;
    private final OrderTracker tracker;
    private final JsonMapper json;
    private final List<Stream> streams = new ArrayList<>();
    final LongAdder reconnects = new LongAdder();
    final LongAdder events = new LongAdder();
    final LongAdder unreadable = new LongAdder();
    private volatile boolean closed;

    NotificationStreams(HttpClient client, List<URI> bases, OrderTracker tracker, JsonMapper json) {
        this.client = client;
        this.bases = List.copyOf(bases);
        this.tracker = tracker;
        this.json = json;
    }

    /** How {@link #open} knew that the streams were open. */
    enum Opened {
        /** The service's count of subscriptions rose by the number of streams. */
        SUBSCRIBED,
        /** Every stream answered 200. */
        ANSWERED
    }

    /**
     * Opens a stream for each customer and returns once the service holds a subscription for every one.
     * The service registers a subscription before it answers, but sends the answer's headers only with the
     * first event or heartbeat (up to {@code notifications.stream.heartbeat}, 15 s, later): so all are
     * opened before any answer is waited for, and where the service counts its subscriptions ({@code
     * subscriptions} answers null where it does not) the count tells first.
     */
    Opened open(List<String> customerIds, Duration timeout, Supplier<Double> subscriptions) throws Exception {
        Double before = subscriptions.get();
        List<CompletableFuture<Void>> opened = new ArrayList<>();
        for (String customerId : customerIds) {
            Stream stream = new Stream(customerId, base(bases, streams.size()));
            streams.add(stream);
            opened.add(stream.connect());
            if (opened.size() % OPEN_AT_ONCE == 0) {
                Thread.sleep(50);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (CompletableFuture<Void> stream : opened) {
                if (stream.isCompletedExceptionally()) {
                    // throws: refused, or no connection
                    stream.get();
                }
            }
            if (opened.stream().allMatch(CompletableFuture::isDone)) {
                return Opened.ANSWERED;
            }
            Double now = before == null ? null : subscriptions.get();
            if (now != null && now >= before + customerIds.size()) {
                return Opened.SUBSCRIBED;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("Not all " + customerIds.size() + " streams were open after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    int size() {
        return streams.size();
    }

    /** The instance of notification-service that holds customer k's stream. */
    static URI base(List<URI> bases, int customer) {
        return bases.get(customer % bases.size());
    }

    private void onEvent(SseParser.Event event, long at) {
        events.increment();
        try {
            JsonNode data = json.readTree(event.data());
            String orderId = data.path("orderId").asString("");
            String type = data.path("type").asString(event.type());
            if (orderId.isEmpty()) {
                unreadable.increment();
                return;
            }
            tracker.notified(orderId, type, at);
        } catch (RuntimeException e) {
            unreadable.increment();
        }
    }

    @Override
    public void close() {
        closed = true;
        streams.forEach(Stream::cancel);
    }

    private final class Stream {

        private final String customerId;
        private final URI base;
        private final SseParser parser;
        private volatile SseLines lines;

        Stream(String customerId, URI base) {
            this.customerId = customerId;
            this.base = base;
            this.parser = new SseParser(event -> onEvent(event, System.nanoTime()));
        }

        CompletableFuture<Void> connect() {
            parser.reset();
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/notifications/stream?customerId="
                            + URLEncoder.encode(customerId, StandardCharsets.UTF_8)))
                    .header("Accept", "text/event-stream")
                    .GET();
            String lastEventId = parser.lastEventId();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            SseLines connection = new SseLines(parser, () -> {
                // the response future completes as well, and reconnects
            });
            lines = connection;
            if (closed) {
                connection.cancel();
            }
            CompletableFuture<Void> answered = new CompletableFuture<>();
            client.sendAsync(request.build(), info -> {
                        if (info.statusCode() != 200) {
                            answered.completeExceptionally(new IllegalStateException(
                                    "The stream of " + customerId + " answered " + info.statusCode()));
                            return HttpResponse.BodySubscribers.replacing(null);
                        }
                        answered.complete(null);
                        return HttpResponse.BodySubscribers.fromLineSubscriber(
                                connection, s -> null, StandardCharsets.UTF_8, null);
                    })
                    .whenComplete((response, error) -> {
                        answered.completeExceptionally(
                                error != null ? error : new IllegalStateException("The stream ended at once"));
                        reconnect();
                    });
            return answered;
        }

        private void reconnect() {
            if (closed) {
                return;
            }
            reconnects.increment();
            CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(this::connect);
        }

        void cancel() {
            SseLines current = lines;
            if (current != null) {
                current.cancel();
            }
        }
    }
}

package dev.orderflow.notificationservice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client as any HTTP client has it: reads the stream line by line and parses it as
 * the specification says (fields {@code id}, {@code event}, {@code data}; comment lines start with a colon;
 * a blank line ends an event). Non-blocking: streams hold no thread of the client while they wait.
 */
final class EventStreamClient implements AutoCloseable {

    record Event(String id, String type, String data) {

        long sequence() {
            return Long.parseLong(id);
        }
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();

    /** Opens a stream; answers at once, the stream fills as events arrive. */
    Stream open(URI uri, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        Stream stream = new Stream();
        http.sendAsync(request.build(), info -> {
                    stream.status.complete(info);
                    return HttpResponse.BodySubscribers.fromLineSubscriber(stream.lines);
                })
                .whenComplete((response, error) -> {
                    if (error != null) {
                        stream.status.completeExceptionally(error);
                    }
                    stream.ended.set(true);
                });
        return stream;
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }

    static final class Stream implements AutoCloseable {

        final CompletableFuture<HttpResponse.ResponseInfo> status = new CompletableFuture<>();
        final List<Event> events = new CopyOnWriteArrayList<>();
        final AtomicInteger comments = new AtomicInteger();
        final AtomicBoolean ended = new AtomicBoolean();
        private final Parser lines = new Parser();

        /** Whether the response has arrived: the server has taken the subscription. */
        boolean connected() {
            return status.isDone() && !status.isCompletedExceptionally();
        }

        int statusCode() {
            return status.join().statusCode();
        }

        HttpHeaders headers() {
            return status.join().headers();
        }

        List<Long> sequences() {
            return events.stream().map(Event::sequence).toList();
        }

        /** Drops the connection, as a client that goes away does. */
        @Override
        public void close() {
            lines.cancel();
        }

        private final class Parser implements Flow.Subscriber<String> {

            private volatile Flow.Subscription subscription;
            private volatile boolean cancelled;
            private String id;
            private String type;
            private final List<String> data = new ArrayList<>();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                if (cancelled) {
                    subscription.cancel();
                } else {
                    subscription.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(String line) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, type == null ? "message" : type, String.join("\n", data)));
                    }
                    type = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> type = value;
                        case "data" -> data.add(value);
                        default -> {
                            // retry and unknown fields: nothing to keep
                        }
                    }
                }
            }

            @Override
            public void onError(Throwable throwable) {
                ended.set(true);
            }

            @Override
            public void onComplete() {
                ended.set(true);
            }

            void cancel() {
                cancelled = true;
                Flow.Subscription current = subscription;
                if (current != null) {
                    current.cancel();
                }
            }
        }
    }
}

package dev.orderflow.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client as any HTTP client has it: reads the stream line by line and parses it as the
 * specification says ({@link SseParser}). Non-blocking: streams hold no thread of the client while they wait.
 */
public final class EventStreamClient implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();

    /** Opens a stream, with header names and values in turn; answers at once, the stream fills as events arrive. */
    public Stream open(URI uri, String... headers) {
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

    public static final class Stream implements AutoCloseable {

        private final CompletableFuture<HttpResponse.ResponseInfo> status = new CompletableFuture<>();
        /** The events so far, in the order they arrived. */
        public final List<SseParser.Event> events = new CopyOnWriteArrayList<>();
        /** Comment lines so far: heartbeats. */
        public final AtomicInteger comments = new AtomicInteger();
        /** Whether the server has ended the stream or the connection broke. */
        public final AtomicBoolean ended = new AtomicBoolean();

        private final SseLines lines =
                new SseLines(new SseParser(events::add, comments::incrementAndGet), () -> ended.set(true));

        /** Whether the response has arrived: the server has taken the subscription. */
        public boolean connected() {
            return status.isDone() && !status.isCompletedExceptionally();
        }

        public int statusCode() {
            return status.join().statusCode();
        }

        /** The status, which must arrive within the given time. */
        public int statusCode(Duration within) throws Exception {
            return status.get(within.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        }

        public HttpHeaders headers() {
            return status.join().headers();
        }

        public List<Long> sequences() {
            return events.stream().map(SseParser.Event::sequence).toList();
        }

        /** The types of the events so far, in order. */
        public List<String> types() {
            return events.stream().map(SseParser.Event::type).toList();
        }

        /** Drops the connection, as a client that goes away does. */
        @Override
        public void close() {
            lines.cancel();
        }
    }
}

package dev.orderflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the orders of the open-loop schedule, without waiting for their answers; to the instances of
 * order-service in turn.
 */
final class OrderLoad {

    private final HttpClient client;
    private final List<URI> orders;
    private long sent;
    private final OrderMix mix;
    private final OrderTracker tracker;
    private final JsonMapper json;

    OrderLoad(HttpClient client, List<URI> orderUrls, OrderMix mix, OrderTracker tracker, JsonMapper json) {
        this.client = client;
        this.orders = orderUrls.stream().map(url -> url.resolve("/api/orders")).toList();
        this.mix = mix;
        this.tracker = tracker;
        this.json = json;
    }

    /** Sends the order due at {@code due}; called by the schedule's one thread. */
    void send(long due, StepStats step) {
        OrderMix.Order order = mix.next();
        HttpRequest request = HttpRequest.newBuilder(next())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(order.json()))
                .build();
        long sentAt = System.nanoTime();
        step.sendDelay.recordValue(Latency.micros(sentAt - due));
        step.sent.increment();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            long now = System.nanoTime();
            if (step.isClosed()) {
                return;
            }
            if (error != null) {
                step.error(describe(error));
                return;
            }
            if (response.statusCode() != 202) {
                step.error("HTTP " + response.statusCode());
                return;
            }
            String orderId;
            try {
                orderId = json.readTree(response.body()).path("orderId").asString("");
            } catch (RuntimeException e) {
                orderId = "";
            }
            if (orderId.isEmpty()) {
                step.error("202 without an orderId");
                return;
            }
            step.accepted.recordValue(Latency.micros(now - due));
            step.acceptedUncorrected.recordValue(Latency.micros(now - sentAt));
            step.acceptedCount.increment();
            tracker.accepted(orderId, step, due, order.declineExpected());
        });
    }

    /** Where the next order goes: the instances in turn. */
    URI next() {
        return orders.get((int) (sent++ % orders.size()));
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "no answer in 30 s";
        }
        return cause.getClass().getSimpleName();
    }
}

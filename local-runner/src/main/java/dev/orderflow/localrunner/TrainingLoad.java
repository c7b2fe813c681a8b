package dev.orderflow.localrunner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the services do while their ahead-of-time caches are trained: the requests and the saga of everyday
 * use, so that the caches hold the classes and the method profiles of that work. Orders of a few customers
 * {@code aot-training-<n>}: placed (some beyond the credit limit, some with an Idempotency-Key and placed
 * twice), read, listed, a few cancelled; their payments, credit and notifications read, two live streams
 * followed, and a few bad requests.
 */
final class TrainingLoad {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":\"([0-9a-f-]{36})\"");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI orders;
    private final URI payments;
    private final URI notifications;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    TrainingLoad(int orderPort, int paymentPort, int notificationPort) {
        this.orders = URI.create("http://localhost:" + orderPort);
        this.payments = URI.create("http://localhost:" + paymentPort);
        this.notifications = URI.create("http://localhost:" + notificationPort);
    }

    /** Keeps the services busy for about {@code duration}; failures of single requests do not matter. */
    void run(Duration duration) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<InputStream> streams = new ArrayList<>();
        for (int customer = 0; customer < 2; customer++) {
            follow(customer(customer), streams, workers);
        }
        long end = System.nanoTime() + duration.toNanos();
        for (int n = 0; System.nanoTime() < end; n++) {
            int order = n;
            workers.execute(() -> exercise(order));
            Thread.sleep(25);
        }
        streams.forEach(stream -> {
            try {
                stream.close();
            } catch (IOException e) {
                // the stream is over either way
            }
        });
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    private String customer(int n) {
        return "aot-training-" + run + "-" + n;
    }

    private void exercise(int n) {
        String customer = customer(n % 10);
        // every tenth beyond the default credit limit: declined
        String price = n % 10 == 9 ? "1200.00" : String.format(Locale.ROOT, "%d.%02d", 1 + n % 40, n % 100);
        String body = """
                {"customerId": "%s", "currency": "EUR", "items": [
                 {"sku": "BOOK-%d", "quantity": %d, "unitPrice": %s}]}""".formatted(customer, n % 7, 1 + n % 3, price);
        String key = n % 2 == 0 ? UUID.randomUUID().toString() : null;
        String placed = post(orders.resolve("/api/orders"), body, key);
        if (key != null && n % 4 == 0) {
            post(orders.resolve("/api/orders"), body, key);
        }
        Matcher id = ORDER_ID.matcher(placed == null ? "" : placed);
        if (id.find()) {
            String orderId = id.group(1);
            get(orders.resolve("/api/orders/" + orderId));
            get(payments.resolve("/api/payments?orderId=" + orderId));
            if (n % 7 == 0) {
                post(orders.resolve("/api/orders/" + orderId + "/cancel"), "", null);
            }
        }
        if (n % 5 == 0) {
            get(orders.resolve("/api/orders?customerId=" + customer));
            get(notifications.resolve("/api/notifications?customerId=" + customer));
            get(payments.resolve("/api/customers/" + customer + "/credit?currency=EUR"));
        }
        if (n % 25 == 0) {
            post(orders.resolve("/api/orders"), "{\"customerId\": \"a b\", \"items\": []}", null);
            get(orders.resolve("/api/orders/not-an-id"));
        }
    }

    /** Opens a live stream and reads it in the background until it is closed. */
    private void follow(String customer, List<InputStream> streams, ExecutorService workers) {
        HttpRequest request = HttpRequest.newBuilder(
                        notifications.resolve("/api/notifications/stream?customerId=" + customer))
                .header("Accept", "text/event-stream")
                .build();
        try {
            InputStream body = http.send(request, HttpResponse.BodyHandlers.ofInputStream())
                    .body();
            streams.add(body);
            workers.execute(() -> {
                try (body) {
                    body.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // closed at the end of the training
                }
            });
        } catch (IOException e) {
            // no stream: the training goes on without it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String post(URI uri, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private String get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build());
    }

    private String send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

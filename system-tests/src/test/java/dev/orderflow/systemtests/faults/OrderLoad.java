package dev.orderflow.systemtests.faults;

import dev.orderflow.testsupport.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places orders over the REST API at a steady rate from many customers, as a careful client does: each
 * order has its own {@code Idempotency-Key}, and a request that fails (the service is down, a 5xx) is sent
 * again with the same key until it is accepted, so no order is placed twice and none is given up while the
 * service can come back. Some orders exceed the customer's credit; some are cancelled after they are placed.
 *
 * <p>Given several instances of order-service, the orders take turns among them, and a request that fails is
 * sent again to the next, as through a load balancer. It keeps when each accepted order was first sent.
 */
final class OrderLoad implements AutoCloseable {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(180);
    private static final int[] PRICES = {20, 45, 90, 160, 350};

    private final List<String> orderServices;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final int customers;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(64);

    private final Map<UUID, Instant> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger givenUp = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();
    private final List<String> unexpectedAnswers = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    OrderLoad(String orderService, int customers) {
        this(List.of(orderService), customers);
    }

    OrderLoad(List<String> orderServices, int customers) {
        this.orderServices = List.copyOf(orderServices);
        this.customers = customers;
    }

    /**
     * Places {@code orders} orders at {@code perSecond}, each in its own client thread, and returns once all
     * are sent; {@link #awaitAnswered} waits for their answers.
     */
    OrderLoad place(int orders, double perSecond) {
        long interval = (long) (1_000_000_000L / perSecond);
        long start = System.nanoTime();
        for (int i = 0; i < orders && !stopped; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Waits.pause(Duration.ofNanos(wait));
            }
            inFlight.acquireUninterruptibly();
            int n = sent.getAndIncrement();
            clients.submit(() -> {
                try {
                    placeOne(n);
                } catch (RuntimeException e) {
                    // An answer this client did not expect: counted and kept, never silently dropped.
                    if (unexpected.incrementAndGet() <= 5) {
                        unexpectedAnswers.add(e.toString());
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
        return this;
    }

    /** Places the orders in the background. */
    Thread placeInBackground(int orders, double perSecond) {
        return Thread.ofPlatform().name("order-load").start(() -> place(orders, perSecond));
    }

    /** Places no more orders; those sent are still answered. */
    void stopPlacing() {
        stopped = true;
    }

    /** Waits until every order sent has been accepted or given up. */
    OrderLoad awaitAnswered() {
        inFlight.acquireUninterruptibly(64);
        inFlight.release(64);
        return this;
    }

    private void placeOne(int n) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String customer = "c" + run + "-" + (n % customers);
        int price = PRICES[random.nextInt(PRICES.length)];
        String body = """
                {"customerId": "%s", "currency": "EUR",
                 "items": [{"sku": "SKU-%d", "quantity": %d, "unitPrice": %d.50}]}""".formatted(customer, n, 1 + random.nextInt(2), price);
        String key = run + "-" + n;
        Instant sent = Instant.now();
        String answer = send(
                n,
                orderService -> HttpRequest.newBuilder(URI.create(orderService + "/api/orders"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (answer == null) {
            givenUp.incrementAndGet();
            return;
        }
        Matcher id = ORDER_ID.matcher(answer);
        if (!id.find()) {
            throw new IllegalStateException("order " + n + ": no orderId in the answer " + answer);
        }
        UUID orderId = UUID.fromString(id.group(1));
        accepted.putIfAbsent(orderId, sent);
        if (random.nextInt(10) == 0) {
            // Sometimes before the payment, sometimes after it.
            Waits.pause(Duration.ofMillis(random.nextInt(300)));
            String cancel = send(
                    n,
                    orderService -> HttpRequest.newBuilder(
                                    URI.create(orderService + "/api/orders/" + orderId + "/cancel"))
                            .POST(HttpRequest.BodyPublishers.noBody()));
            if (cancel != null) {
                cancelled.incrementAndGet();
            }
        }
    }

    /**
     * The body of a 2xx or 4xx answer, after retrying connection failures and 5xx; null when given up. Order
     * {@code n} goes to instance n first, a retry to the next.
     */
    private String send(int n, Function<String, HttpRequest.Builder> request) {
        Instant deadline = Instant.now().plus(GIVE_UP_AFTER);
        for (int attempt = 0; Instant.now().isBefore(deadline); attempt++) {
            String orderService = orderServices.get((n + attempt) % orderServices.size());
            try {
                HttpResponse<String> response = http.send(
                        request.apply(orderService)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    return response.statusCode() < 300 || response.statusCode() == 409 ? response.body() : null;
                }
            } catch (IOException e) {
                // down, restarting or cut: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            retried.incrementAndGet();
            Waits.pause(Duration.ofMillis(250));
        }
        return null;
    }

    Set<UUID> accepted() {
        return Set.copyOf(accepted.keySet());
    }

    /** When each accepted order was first sent. */
    Map<UUID, Instant> firstSent() {
        return Map.copyOf(accepted);
    }

    int sent() {
        return sent.get();
    }

    /** Requests sent again after a connection failure or a 5xx answer. */
    int retried() {
        return retried.get();
    }

    /** Orders never accepted, even after retrying for minutes. */
    int givenUp() {
        return givenUp.get();
    }

    /** Orders whose answer this client could not make sense of (it counts them, and keeps the first five). */
    int unexpected() {
        return unexpected.get();
    }

    List<String> unexpectedAnswers() {
        return List.copyOf(unexpectedAnswers);
    }

    int cancellationsAnswered() {
        return cancelled.get();
    }

    @Override
    public void close() {
        clients.shutdown();
        try {
            clients.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

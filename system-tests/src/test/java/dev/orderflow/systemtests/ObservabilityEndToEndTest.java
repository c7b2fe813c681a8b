package dev.orderflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlMapFactoryBean;
import org.springframework.core.io.FileSystemResource;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

/**
 * What an operator sees of the running suite: one order's trace across the three services, the metrics that the
 * dashboards and alert rules name, and consumer lag that a stopped consumer cannot hide.
 */
class ObservabilityEndToEndTest {

    /** Surefire runs in the module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Path DASHBOARDS = ROOT.resolve("observability/grafana/dashboards");
    private static final Path ALERTS = ROOT.resolve("observability/prometheus/alerts.yml");

    /** Series that Prometheus makes itself rather than scrapes. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    /** Answers a healthy suite does not give. */
    private static final PromQl.LabelMatcher SERVER_ERRORS = new PromQl.LabelMatcher("status", "=~", "5..");

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    static Suite suite;

    @BeforeAll
    static void startSuite() {
        suite = Suite.get();
    }

    @Test
    void oneOrderIsOneTraceFromItsPostThroughThePaymentToItsLiveNotifications() throws Exception {
        String customer = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        String traceId = randomHex(32);
        try (LiveStream stream = LiveStream.open(suite.notifications.baseUrl(), customer)) {
            Http.Response placed = Http.post(
                    suite.orders.baseUrl() + "/api/orders",
                    """
                    {"customerId": "%s", "currency": "EUR", "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": 9.90}]}""".formatted(customer),
                    "traceparent",
                    "00-" + traceId + "-" + randomHex(16) + "-01");
            assertThat(placed.status()).isEqualTo(202);
            String orderId = placed.body().get("orderId").asString();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.events().contains("ORDER_CONFIRMED"));

            // POST → OrderPlaced → payment decided → OrderConfirmed → notifications → sent on the live stream. Each
            // service exports its spans on its own schedule, so one service's may arrive after another's: the
            // assertions are retried until they hold or time out, and a time-out reports the last that failed.
            AtomicReference<List<SpanData>> traced = new AtomicReference<>(List.of());
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    traced.set(spansOf(traceId));
                    assertIsOneTrace(orderId, traceId, traced.get());
                });
            } finally {
                print(orderId, traced.get());
            }
        }
    }

    private static void assertIsOneTrace(String orderId, String traceId, List<SpanData> trace) {
        assertThat(names(trace, "notification-service").stream()
                        .filter(name -> name.equals("notification stream send")))
                .as("both notifications sent on the live stream")
                .hasSize(2);
        assertThat(names(trace, "order-service"))
                .contains("http post /api/orders", "order-events publish", "payment-events process");
        assertThat(names(trace, "payment-service")).contains("order-events process", "payment-events publish");
        assertThat(names(trace, "notification-service")).contains("order-events process", "notification stream send");
        assertThat(trace.stream().filter(span -> span.getName().equals("order-events publish")))
                .as("OrderPlaced and OrderConfirmed published")
                .hasSize(2);
        assertThat(trace.stream()
                        .filter(span -> span.getKind() == SpanKind.CONSUMER)
                        .map(span -> span.getAttributes().get(AttributeKey.stringKey("orderId"))))
                .containsOnly(orderId);
        // Every span that names the order, in any service, is in this one trace.
        assertThat(Suite.SPANS.getFinishedSpanItems().stream()
                        .filter(span -> orderId.equals(span.getAttributes().get(AttributeKey.stringKey("orderId")))
                                || orderId.equals(span.getAttributes()
                                        .get(AttributeKey.stringKey("messaging.kafka.message.key")))))
                .isNotEmpty()
                .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(traceId));
        // Each span's parent is in the trace: it is one tree, rooted at the request's caller.
        Set<String> ids = new HashSet<>();
        trace.forEach(span -> ids.add(span.getSpanId()));
        assertThat(trace.stream().filter(span -> !ids.contains(span.getParentSpanId())))
                .singleElement()
                .satisfies(root -> assertThat(root.getName()).isEqualTo("http post /api/orders"));
    }

    @Test
    void everySelectorOfTheDashboardsAndAlertsSelectsSeriesOfTheServicesScrapeUnderLoad() throws Exception {
        Map<String, String> expressions = expressions();
        assertThat(expressions).isNotEmpty();
        Map<String, List<PromQl.Selector>> selectorsOf = new LinkedHashMap<>();
        expressions.forEach((where, expression) -> {
            assertThatNoException().as("%s: %s", where, expression).isThrownBy(() -> PromQl.selectors(expression));
            selectorsOf.put(where, PromQl.selectors(expression));
        });

        // Orders of every outcome, a request the API rejects, and a live stream open, while the services are scraped.
        String customer = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(Http.post(suite.orders.baseUrl() + "/api/orders", "{\"customerId\": \"" + customer + "\"}")
                        .status())
                .isEqualTo(400);
        try (LiveStream stream = LiveStream.open(suite.notifications.baseUrl(), customer)) {
            List<String> confirmed = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                confirmed.add(placeOrder(customer, "1.00"));
            }
            String rejected = placeOrder(customer, "5000.00");
            String cancelled = placeOrder(customer, "20.00");
            Http.post(suite.orders.baseUrl() + "/api/orders/" + cancelled + "/cancel", "");
            confirmed.forEach(orderId -> awaitStatus(orderId, "CONFIRMED"));
            awaitStatus(rejected, "REJECTED");
            awaitStatus(cancelled, "CANCELLED");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Scrape scraped = Scrape.merged(List.of(
                        Scrape.of(suite.orders.baseUrl()),
                        Scrape.of(suite.payments.baseUrl()),
                        Scrape.of(suite.notifications.baseUrl())));
                selectorsOf.forEach((where, selectors) -> assertThat(selectors)
                        .as("selectors of %s that select no series of the services", where)
                        .allSatisfy(selector -> assertThat(selects(scraped, selector))
                                .as("%s in %s", selector, scraped.names())
                                .isTrue()));
                // Kafka's own client metrics are bound (Spring Boot's Kafka auto-configuration).
                assertThat(scraped.names())
                        .contains("kafka_consumer_fetch_manager_records_lag_max", "kafka_producer_record_send_total");
            });
        }
    }

    /**
     * Whether a selector selects series of the scrape. Series that Prometheus makes itself count as there, and a
     * selector of 5xx answers, which a healthy suite does not give, as there when its metric has the status label.
     */
    private static boolean selects(Scrape scraped, PromQl.Selector selector) {
        if (PROMETHEUS_OWN.contains(selector.metric())) {
            return true;
        }
        if (selector.matchers().contains(SERVER_ERRORS)) {
            PromQl.Selector anyStatus = selector.without("status");
            return scraped.samples().stream()
                    .anyMatch(sample -> anyStatus.selects(sample.name(), sample.labels())
                            && sample.labels().containsKey("status")
                            && !Double.isNaN(sample.value()));
        }
        return scraped.selects(selector);
    }

    @Test
    void aStoppedConsumersLagKeepsRisingOnTheBrokerSideAndEveryFigureFallsBackToZeroOnceItCatchesUp() {
        MessageListenerContainer payments = suite.payments
                .context()
                .getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer(Topics.ORDER_EVENTS);
        Predicate<Map<String, String>> paymentServiceOnOrderEvents = labels ->
                "payment-service".equals(labels.get("group")) && Topics.ORDER_EVENTS.equals(labels.get("topic"));
        String customer = "lag-" + UUID.randomUUID().toString().substring(0, 8);
        // A consumer that has been at work: its group has committed offsets, so the broker knows what it reads.
        awaitStatus(placeOrder(customer, "1.00"), "CONFIRMED");
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        Scrape.of(suite.payments.baseUrl()).has("consumer_lag_records", paymentServiceOnOrderEvents));
        payments.stop();
        try {
            for (int i = 0; i < 3; i++) {
                placeOrder(customer, "1.00");
            }
            // Seen by payment-service itself and by order-service, which publishes the topic.
            for (Suite.Service service : List.of(suite.payments, suite.orders)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Scrape scrape = Scrape.of(service.baseUrl());
                    assertThat(scrape.sum("consumer_lag_records", paymentServiceOnOrderEvents))
                            .as(
                                    "%s",
                                    scrape.samples().stream()
                                            .filter(sample -> sample.name().startsWith("consumer_lag"))
                                            .toList())
                            .isGreaterThanOrEqualTo(3);
                });
            }
            double age = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> Scrape.of(suite.payments.baseUrl())
                                    .max("consumer_lag_age_seconds", paymentServiceOnOrderEvents),
                            seconds -> seconds > 0);
            placeOrder(customer, "1.00");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Scrape scrape = Scrape.of(suite.payments.baseUrl());
                assertThat(scrape.sum("consumer_lag_records", paymentServiceOnOrderEvents))
                        .isGreaterThanOrEqualTo(4);
                assertThat(scrape.max("consumer_lag_age_seconds", paymentServiceOnOrderEvents))
                        .isGreaterThan(age + 1);
            });
        } finally {
            payments.start();
        }

        // Caught up and idle: no lag in any group, and an empty outbox.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Suite.Service service : List.of(suite.orders, suite.payments, suite.notifications)) {
                Scrape scrape = Scrape.of(service.baseUrl());
                List<Scrape.Sample> busy = scrape.samples().stream()
                        .filter(sample -> sample.name().startsWith("consumer_lag")
                                        && !sample.name().equals("consumer_lag_staleness_seconds")
                                        && Topics.all().contains(sample.labels().get("topic"))
                                || sample.name().startsWith("outbox_oldest")
                                || sample.name().startsWith("outbox_pending"))
                        .filter(sample -> sample.value() != 0)
                        .toList();
                assertThat(busy).as("figures of %s that are not 0", service).isEmpty();
            }
        });
        // No order decided any more: the saga's rate, and with it its percentiles over any window, read 0.
        double decided = sagas();
        assertThat(decided).isPositive();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> sagas() == decided);
    }

    private static double sagas() {
        return Scrape.of(suite.orders.baseUrl()).sum("orderflow_saga_duration_seconds_count", labels -> true);
    }

    // --- the dashboards' and alerts' expressions

    /** Every PromQL expression of the dashboards' panels and of the alert rules, by where it is. */
    private static Map<String, String> expressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            dashboards =
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path dashboard : dashboards) {
            JsonNode json = Http.JSON.readTree(Files.readString(dashboard));
            List<JsonNode> panels = new ArrayList<>();
            collectPanels(json.get("panels"), panels);
            for (JsonNode panel : panels) {
                JsonNode targets = panel.get("targets");
                if (targets == null) {
                    continue;
                }
                for (JsonNode target : targets) {
                    expressions.put(
                            dashboard.getFileName() + " / " + panel.get("title").asString() + " / "
                                    + target.get("refId").asString(),
                            grafanaVariables(target.get("expr").asString()));
                }
            }
        }
        YamlMapFactoryBean yaml = new YamlMapFactoryBean();
        yaml.setResources(new FileSystemResource(ALERTS));
        for (Object group : (List<?>) yaml.getObject().get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> alert = (Map<?, ?>) rule;
                expressions.put("alert " + alert.get("alert"), String.valueOf(alert.get("expr")));
            }
        }
        return expressions;
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        if (panels == null) {
            return;
        }
        for (JsonNode panel : panels) {
            into.add(panel);
            collectPanels(panel.get("panels"), into); // a collapsed row holds its panels
        }
    }

    /** Grafana's interval variables, as Grafana replaces them before it asks Prometheus. */
    private static String grafanaVariables(String expression) {
        return expression.replace("$__rate_interval", "1m").replace("$__interval", "15s");
    }

    // --- traces

    private static List<SpanData> spansOf(String traceId) {
        return Suite.SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .toList();
    }

    private static List<String> names(List<SpanData> spans, String service) {
        return spans.stream()
                .filter(span -> service.equals(span.getResource().getAttribute(SERVICE_NAME)))
                .map(SpanData::getName)
                .toList();
    }

    /** The trace as a table in the test's output: start (ms after the first span), duration, service, span. */
    private static void print(String orderId, List<SpanData> trace) {
        long start = trace.getFirst().getStartEpochNanos();
        StringBuilder table = new StringBuilder("Trace " + trace.getFirst().getTraceId() + " of order " + orderId
                + ":\n  start ms  duration ms  service               kind      span\n");
        for (SpanData span : trace) {
            table.append("%10.1f  %11.1f  %-20s  %-8s  %s%n"
                    .formatted(
                            (span.getStartEpochNanos() - start) / 1e6,
                            (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6,
                            span.getResource().getAttribute(SERVICE_NAME),
                            span.getKind(),
                            span.getName()));
        }
        System.out.print(table);
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < digits) {
            hex.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        }
        return hex.substring(0, digits);
    }

    // --- orders

    private static String placeOrder(String customer, String price) {
        Http.Response placed = Http.post(suite.orders.baseUrl() + "/api/orders", """
                {"customerId": "%s", "currency": "EUR", "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": %s}]}""".formatted(customer, price));
        assertThat(placed.status()).isEqualTo(202);
        return placed.body().get("orderId").asString();
    }

    private static void awaitStatus(String orderId, String status) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Http.get(suite.orders.baseUrl() + "/api/orders/" + orderId)
                        .body()
                        .get("status")
                        .asString()
                        .equals(status));
    }

    /** A customer's live notification stream, read by a thread of its own: the types of the events received. */
    private static final class LiveStream implements AutoCloseable {

        private final List<String> events = new CopyOnWriteArrayList<>();
        private final InputStream body;

        private LiveStream(InputStream body) {
            this.body = body;
            Thread.ofVirtual().start(this::read);
        }

        /** Opens the stream; once its headers are here, the subscription is registered. */
        static LiveStream open(String baseUrl, String customer) throws IOException, InterruptedException {
            HttpResponse<InputStream> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(baseUrl + "/api/notifications/stream?customerId=" + customer))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            return new LiveStream(response.body());
        }

        private void read() {
            try {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = body.read()) >= 0) {
                    if (c == '\n') {
                        if (line.toString().startsWith("event:")) {
                            events.add(line.substring("event:".length()).strip());
                        }
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        List<String> events() {
            return events;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}

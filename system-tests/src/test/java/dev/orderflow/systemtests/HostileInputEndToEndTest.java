package dev.orderflow.systemtests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.systemtests.RawHttp.Answer;
import dev.orderflow.systemtests.RawHttp.Body;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What a hostile or careless client can send the three running services, and what it gets: for every case the
 * status, an RFC 9457 problem, an answer of at most {@value #MAX_ANSWER} bytes within {@value #MAX_SECONDS} s,
 * nothing stored in any service's database, and then an honest order still accepted. Sent byte for byte over a
 * socket ({@link RawHttp}), so that nothing a client library would refuse or tidy up is left out.
 */
class HostileInputEndToEndTest {

    static final int MAX_ANSWER = 4096;
    static final int MAX_SECONDS = 10;

    static Suite suite;

    @BeforeAll
    static void startSuite() {
        suite = Suite.get();
    }

    /** A request and the status it must get. */
    record Case(String name, int status, Function<Suite, Answer> request) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String customer = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] invalidItem = "{\"sku\":\"\",\"quantity\":0,\"unitPrice\":0},".getBytes(UTF_8);
        return Stream.of(
                // --- reads are scoped
                get("a list of orders without customerId", 400, Service.ORDERS, "/api/orders"),
                get("a list of notifications without customerId", 400, Service.NOTIFICATIONS, "/api/notifications"),
                new Case("the contact address read anonymously after it was set", 405, s -> {
                    String someone = "contact-" + UUID.randomUUID().toString().substring(0, 8);
                    Answer set = send(
                            s,
                            Service.NOTIFICATIONS,
                            "PUT /api/customers/" + someone + "/contact HTTP/1.1\r\nContent-Type: application/json",
                            Body.of("{\"email\": \"" + someone + "@example.com\"}"));
                    assertThat(set.status()).isEqualTo(200);
                    Answer read = send(s, Service.NOTIFICATIONS, "GET /api/customers/" + someone + "/contact", null);
                    assertThat(read.text()).doesNotContain("@example.com");
                    Answer admin =
                            send(s, Service.NOTIFICATIONS, "GET /api/admin/customers/" + someone + "/contact", null);
                    assertThat(admin.status()).isEqualTo(401);
                    assertThat(admin.text()).doesNotContain("@example.com");
                    return read;
                }),
                // --- control characters and other bytes PostgreSQL refuses
                place("a NUL in sku", 400, order(customer, "\"A\\u0000B\"", "1", "1.00")),
                place("a line feed in sku", 400, order(customer, "\"A\\nB\"", "1", "1.00")),
                place("a C1 control in sku", 400, order(customer, "\"A\\u0085B\"", "1", "1.00")),
                place("a NUL in customerId", 400, order("al\\u0000ice", "\"A\"", "1", "1.00")),
                get("customerId=%00 on the orders list", 400, Service.ORDERS, "/api/orders?customerId=%00"),
                get(
                        "customerId=%00 on the notifications list",
                        400, Service.NOTIFICATIONS, "/api/notifications?customerId=%00"),
                get(
                        "customerId=%0A on the stream",
                        400, Service.NOTIFICATIONS, "/api/notifications/stream?customerId=%0A"),
                get("currency=%00 on the credit", 400, Service.PAYMENTS, "/api/customers/alice/credit?currency=%00"),
                get(
                        "a NUL in the credit's customer path",
                        400,
                        Service.PAYMENTS,
                        "/api/customers/a%00/credit?currency=EUR"),
                get("orderId=%00 on the payments", 400, Service.PAYMENTS, "/api/payments?orderId=%00"),
                new Case(
                        "a control character in the Idempotency-Key",
                        400,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: k\u0001y",
                                Body.of(order(customer, "\"A\"", "1", "1.00")))),
                new Case(
                        "a NUL in the contact address",
                        400,
                        s -> send(
                                s,
                                Service.NOTIFICATIONS,
                                "PUT /api/customers/" + customer
                                        + "/contact HTTP/1.1\r\nContent-Type: application/json",
                                Body.of("{\"email\": \"a\\u0000b@example.com\"}"))),
                // --- bodies too large, too broken
                new Case(
                        "an 8 MiB body of 200,000 invalid items",
                        413,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders HTTP/1.1\r\nContent-Type: application/json",
                                new Body(invalidItem, 8 * 1024 * 1024 / invalidItem.length))),
                new Case(
                        "a 1 MiB chunked body",
                        413,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
                                Body.of(chunked(1024 * 1024)))),
                new Case(
                        "an 8 MiB body to the cancellation",
                        413,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders/" + UUID.randomUUID()
                                        + "/cancel HTTP/1.1\r\nContent-Type: application/json",
                                new Body(invalidItem, 8 * 1024 * 1024 / invalidItem.length))),
                place(
                        "1,500 invalid items within the body limit",
                        400,
                        "{\"customerId\": \"" + customer + "\", \"currency\": \"EUR\", \"items\": ["
                                + new String(invalidItem, UTF_8).repeat(1500) + "{}]}"),
                place("JSON nested 30,000 deep", 400, "{\"nested\": " + "[".repeat(30_000)),
                place("a sku of 60,000 characters", 400, order(customer, "\"" + "S".repeat(60_000) + "\"", "1", "1")),
                place("malformed JSON", 400, "{\"customerId\": "),
                // --- absurd numbers
                place("a quantity of 10^20", 400, order(customer, "\"A\"", "100000000000000000000", "1.00")),
                place("a unitPrice of 1e999999999", 400, order(customer, "\"A\"", "1", "1e999999999")),
                place("a unitPrice of -0.00", 400, order(customer, "\"A\"", "1", "-0.00")),
                get(
                        "page=2147483647 on the orders list",
                        400,
                        Service.ORDERS,
                        "/api/orders?customerId=alice&page=2147483647"),
                get(
                        "page=99999999999 on the notifications list",
                        400,
                        Service.NOTIFICATIONS,
                        "/api/notifications?customerId=alice&page=99999999999"),
                get(
                        "size=1000000 on the orders list",
                        400,
                        Service.ORDERS,
                        "/api/orders?customerId=alice&size=1000000"),
                get(
                        "page=-1 on the notifications list",
                        400,
                        Service.NOTIFICATIONS,
                        "/api/notifications?customerId=alice&page=-1"),
                new Case(
                        "a Last-Event-ID past a long",
                        400,
                        s -> send(
                                s,
                                Service.NOTIFICATIONS,
                                "GET /api/notifications/stream?customerId=alice HTTP/1.1\r\nAccept: text/event-stream"
                                        + "\r\nLast-Event-ID: 99999999999999999999",
                                null)),
                // --- ids that are no ids
                get("an orderId that is no UUID", 400, Service.ORDERS, "/api/orders/not-a-uuid"),
                get("an orderId of 10,000 characters", 400, Service.ORDERS, "/api/orders/" + "a".repeat(10_000)),
                get(
                        "a customer path of 65 characters",
                        400,
                        Service.PAYMENTS,
                        "/api/customers/" + "a".repeat(65) + "/credit?currency=EUR"),
                // --- wrong content types and methods
                new Case(
                        "an order as text/plain",
                        415,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders HTTP/1.1\r\nContent-Type: text/plain",
                                Body.of(order(customer, "\"A\"", "1", "1.00")))),
                new Case(
                        "an order as XML",
                        415,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders HTTP/1.1\r\nContent-Type: application/xml",
                                Body.of("<order/>"))),
                new Case(
                        "an order without Content-Type",
                        415,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders HTTP/1.1",
                                Body.of(order(customer, "\"A\"", "1", "1.00")))),
                new Case(
                        "DELETE on the orders", 405, s -> send(s, Service.ORDERS, "DELETE /api/orders HTTP/1.1", null)),
                // --- paths spelled otherwise
                new Case(
                        "an order to /api/%6Frders, invalid",
                        400,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "POST /api/%6Frders HTTP/1.1\r\nContent-Type: application/json",
                                Body.of(order(customer, "\"\"", "1", "1.00")))),
                place("an order to /api/orders/", 404, "/api/orders/", order(customer, "\"A\"", "1", "1.00")),
                place(
                        "an order to /api/orders;jsessionid=x",
                        400,
                        "/api/orders;jsessionid=x",
                        order(customer, "\"A\"", "1", "1.00")),
                place("an order to /API/ORDERS", 404, "/API/ORDERS", order(customer, "\"A\"", "1", "1.00")),
                place("an order to //api/orders", 400, "//api/orders", order(customer, "\"A\"", "1", "1.00")),
                place("an order to /api/orders%2F", 400, "/api/orders%2F", order(customer, "\"A\"", "1", "1.00")),
                get("a path with an invalid percent-encoding", 400, Service.ORDERS, "/api/orders/%zz"),
                new Case(
                        "a header of 20 KB",
                        400,
                        s -> send(
                                s,
                                Service.ORDERS,
                                "GET /api/orders?customerId=alice HTTP/1.1\r\nX-Big: " + "b".repeat(20_000),
                                null)),
                // --- streams
                new Case("a sixth live stream for one customer", 429, HostileInputEndToEndTest::tooManyStreams),
                // --- the database away
                new Case("an order while order-service's database is cut", 503, s -> {
                    s.ordersDatabase.cut();
                    try {
                        Answer answer = send(
                                s,
                                Service.ORDERS,
                                "POST /api/orders HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: "
                                        + UUID.randomUUID(),
                                Body.of(order(customer, "\"A\"", "1", "1.00")));
                        assertThat(answer.status()).as(answer.text()).isEqualTo(503);
                        assertThat(answer.header("Retry-After")).isNotEmpty();
                        return answer;
                    } finally {
                        s.ordersDatabase.restore();
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersHostileInputWithAProblemStoresNothingAndKeepsServing(Case hostile) {
        List<Long> stored = stored();

        Answer answer = hostile.request().apply(suite);

        assertThat(answer.status()).as("status").isEqualTo(hostile.status());
        assertThat(answer.header("Content-Type")).as("content type").startsWith("application/problem+json");
        assertThat(answer.body().length).as("answer size").isLessThanOrEqualTo(MAX_ANSWER);
        assertThat(answer.elapsed()).as("answer time").isLessThan(Duration.ofSeconds(MAX_SECONDS));
        JsonNode problem = Http.JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(hostile.status());
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(stored()).as("rows in the services' databases").isEqualTo(stored);
        assertHonestOrderAccepted();
    }

    /**
     * The one row of the table that is no refusal: a stream resumed after an id beyond the newest notification is a
     * fresh subscription, and the customer's next order arrives on it.
     */
    @Test
    void aStreamResumedAfterAnIdBeyondTheNewestGetsTheCustomersNextOrder() throws IOException {
        String customer = "resumed-" + UUID.randomUUID().toString().substring(0, 8);
        URI base = URI.create(suite.notifications.baseUrl());
        try (Socket stream = new Socket(base.getHost(), base.getPort())) {
            stream.setSoTimeout(30_000);
            stream.getOutputStream()
                    .write(("GET /api/notifications/stream?customerId=" + customer + " HTTP/1.1\r\nHost: localhost"
                                    + "\r\nAccept: text/event-stream\r\nLast-Event-ID: 9223372036854775806\r\n\r\n")
                            .getBytes(UTF_8));
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.getInputStream(), UTF_8));
            assertThat(lines.readLine()).startsWith("HTTP/1.1 200");
            while (!lines.readLine().startsWith("retry:")) {
                // headers, then the stream's first line
            }

            Http.Response placed =
                    Http.post(suite.orders.baseUrl() + "/api/orders", order(customer, "\"BOOK-1\"", "1", "12.50"));
            assertThat(placed.status()).isEqualTo(202);

            String line;
            do {
                line = lines.readLine(); // within the socket's 30 s, or the test fails
            } while (line != null && !line.startsWith("event:"));
            assertThat(line).isEqualTo("event:ORDER_PLACED");
        }
    }

    // --- the special cases

    /** Five streams of one customer open (the default limit), then a sixth. */
    private static Answer tooManyStreams(Suite s) {
        String customer = "streams-" + UUID.randomUUID().toString().substring(0, 8);
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(openStream(s, customer));
            }
            Answer refused = send(
                    s,
                    Service.NOTIFICATIONS,
                    "GET /api/notifications/stream?customerId=" + customer + " HTTP/1.1\r\nAccept: text/event-stream",
                    null);
            assertThat(refused.header("Retry-After")).isNotEmpty();
            return refused;
        } finally {
            open.forEach(HostileInputEndToEndTest::closeQuietly);
        }
    }

    /** A stream whose answer has begun: the service has taken the subscription. */
    private static Socket openStream(Suite s, String customer) {
        URI base = URI.create(s.notifications.baseUrl());
        try {
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /api/notifications/stream?customerId=" + customer
                                    + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(UTF_8));
            byte[] status = socket.getInputStream().readNBytes(12);
            assertThat(new String(status, UTF_8)).isEqualTo("HTTP/1.1 200");
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- what each case checks

    private static void assertHonestOrderAccepted() {
        String customer = "honest-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response placed = Http.post(
                suite.orders.baseUrl() + "/api/orders",
                order(customer, "\"BOOK-1\"", "1", "12.50"),
                "Idempotency-Key",
                UUID.randomUUID().toString());
        assertThat(placed.status()).as("an honest order afterwards").isEqualTo(202);
        assertThat(placed.body().get("orderId").asString()).isNotBlank();
    }

    /**
     * Rows that a request could have added in each service's database: orders and idempotency keys, payments,
     * notifications and contact addresses. The honest orders' rows are not counted (their payments and
     * notifications arrive asynchronously), nor those of the customers a case sets up on purpose.
     */
    private static List<Long> stored() {
        return List.of(
                count(suite.orders.context(), "SELECT count(*) FROM orders WHERE customer_id NOT LIKE 'honest-%'"),
                count(
                        suite.orders.context(),
                        "SELECT count(*) FROM idempotency_key k JOIN orders o ON o.id = k.order_id"
                                + " WHERE o.customer_id NOT LIKE 'honest-%'"),
                count(
                        suite.payments.context(),
                        "SELECT count(*) FROM payment WHERE customer_id LIKE 'hostile-%' OR customer_id LIKE 'streams-%'"),
                count(
                        suite.notifications.context(),
                        "SELECT count(*) FROM customer_contact WHERE customer_id LIKE 'hostile-%'"),
                count(
                        suite.notifications.context(),
                        "SELECT count(*) FROM notification WHERE customer_id LIKE 'hostile-%'"));
    }

    /**
     * Counted through the service's own pool. After the case that cuts a database, the first statement on a
     * connection the cut broke fails (the pool checks a connection only once it has been idle a while); the count is
     * then asked again on another one.
     */
    private static long count(ConfigurableApplicationContext service, String sql) {
        return await().atMost(Duration.ofSeconds(30))
                .ignoreException(DataAccessResourceFailureException.class)
                .until(
                        () -> service.getBean(JdbcClient.class)
                                .sql(sql)
                                .query(Long.class)
                                .single(),
                        n -> n != null);
    }

    // --- requests

    enum Service {
        ORDERS,
        PAYMENTS,
        NOTIFICATIONS
    }

    private static Answer send(Suite s, Service service, String head, Body body) {
        String base = switch (service) {
            case ORDERS -> s.orders.baseUrl();
            case PAYMENTS -> s.payments.baseUrl();
            case NOTIFICATIONS -> s.notifications.baseUrl();
        };
        if (!head.contains(" HTTP/1.1")) {
            head = head + " HTTP/1.1";
        }
        return RawHttp.send(base, head, body);
    }

    private static Case get(String name, int status, Service service, String path) {
        return new Case(name, status, s -> send(s, service, "GET " + path + " HTTP/1.1", null));
    }

    private static Case place(String name, int status, String body) {
        return place(name, status, "/api/orders", body);
    }

    private static Case place(String name, int status, String path, String body) {
        return new Case(
                name,
                status,
                s -> send(
                        s,
                        Service.ORDERS,
                        "POST " + path + " HTTP/1.1\r\nContent-Type: application/json",
                        Body.of(body)));
    }

    private static String order(String customer, String sku, String quantity, String unitPrice) {
        String customerJson = customer.startsWith("\"") ? customer : "\"" + customer + "\"";
        return """
                {"customerId": %s, "currency": "EUR", "items": [{"sku": %s, "quantity": %s, "unitPrice": %s}]}""".formatted(customerJson, sku, quantity, unitPrice);
    }

    /**
     * A chunked body of about that many bytes, in chunks of 8 KB, that a JSON parser must read to its end: an order
     * whose customerId never ends.
     */
    private static byte[] chunked(int size) {
        StringBuilder body = new StringBuilder();
        String opening = "{\"customerId\": \"";
        body.append(Integer.toHexString(opening.length()))
                .append("\r\n")
                .append(opening)
                .append("\r\n");
        String chunk = "a".repeat(8192);
        for (int sent = 0; sent < size; sent += chunk.length()) {
            body.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        return body.append("0\r\n\r\n").toString().getBytes(UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }
}

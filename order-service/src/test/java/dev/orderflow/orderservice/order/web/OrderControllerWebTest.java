package dev.orderflow.orderservice.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.springframework.http.MediaType.APPLICATION_JSON;

import dev.orderflow.orderservice.order.IdempotencyKeyReusedException;
import dev.orderflow.orderservice.order.NewOrder;
import dev.orderflow.orderservice.order.Order;
import dev.orderflow.orderservice.order.OrderItem;
import dev.orderflow.orderservice.order.OrderManagement;
import dev.orderflow.orderservice.order.OrderManagement.Placement;
import dev.orderflow.orderservice.order.OrderNotCancellableException;
import dev.orderflow.orderservice.order.OrderNotFoundException;
import dev.orderflow.orderservice.order.OrderStatus;
import dev.orderflow.platform.web.PagedList;
import dev.orderflow.platform.web.WebAutoConfiguration;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(OrderController.class)
@ImportAutoConfiguration(WebAutoConfiguration.class)
@Import(PlacementAdmission.class)
class OrderControllerWebTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    private static final String VALID_ORDER = """
            {"customerId": "alice", "currency": "EUR",
             "items": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}]}""";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OrderManagement orders;

    // --- placing -----------------------------------------------------------------------------------

    @Test
    void acceptsAValidOrderWithItsLocationAndThePendingOrder() {
        Order order = anOrder();
        given(orders.place(any(), any())).willReturn(new Placement(order, true));

        assertThat(mvc.post().uri("/api/orders").contentType(APPLICATION_JSON).content(VALID_ORDER))
                .hasStatus(HttpStatus.ACCEPTED)
                .hasHeader("Location", "/api/orders/" + order.getId())
                .bodyJson()
                .isLenientlyEqualTo("""
                        {"orderId": "%s", "customerId": "alice", "currency": "EUR",
                         "items": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}], "total": 25.00,
                         "status": "PENDING", "reason": null, "createdAt": "%s", "updatedAt": "%s"}""".formatted(order.getId(), order.getCreatedAt(), order.getUpdatedAt()));
        then(orders)
                .should()
                .place(
                        new NewOrder("alice", "EUR", List.of(new OrderItem("BOOK-1", 2, new BigDecimal("12.50")))),
                        Optional.empty());
    }

    @Test
    void acceptsValuesAtTheLimitsOfEveryRule() {
        given(orders.place(any(), any())).willReturn(new Placement(anOrder(), true));
        String item = """
                {"sku": "%s", "quantity": 1000, "unitPrice": 1000000.00}""".formatted("S".repeat(64));
        String body = order("\"" + "a.B_9-".repeat(10) + "abcd\"", "\"USD\"", items(item, 100));

        assertThat(post(body)).hasStatus(HttpStatus.ACCEPTED);
        then(orders).should().place(any(), eq(Optional.empty()));
    }

    @Test
    void passesTheIdempotencyKeyOn() {
        String key = "k".repeat(255);
        given(orders.place(any(), eq(Optional.of(key)))).willReturn(new Placement(anOrder(), true));

        assertThat(mvc.post()
                        .uri("/api/orders")
                        .header("Idempotency-Key", key)
                        .contentType(APPLICATION_JSON)
                        .content(VALID_ORDER))
                .hasStatus(HttpStatus.ACCEPTED);
    }

    @Test
    void answersARepeatedIdempotentRequestWithTheEarlierOrder() {
        Order earlier = anOrder();
        given(orders.place(any(), eq(Optional.of("key-1")))).willReturn(new Placement(earlier, false));

        assertThat(mvc.post()
                        .uri("/api/orders")
                        .header("Idempotency-Key", "key-1")
                        .contentType(APPLICATION_JSON)
                        .content(VALID_ORDER))
                .hasStatusOk()
                .hasHeader("Location", "/api/orders/" + earlier.getId())
                .bodyJson()
                .extractingPath("$.orderId")
                .isEqualTo(earlier.getId().toString());
    }

    @Test
    void refusesAnIdempotencyKeyReusedForAnotherRequest() {
        given(orders.place(any(), any())).willThrow(new IdempotencyKeyReusedException());

        assertThat(mvc.post()
                        .uri("/api/orders")
                        .header("Idempotency-Key", "key-1")
                        .contentType(APPLICATION_JSON)
                        .content(VALID_ORDER))
                .hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
                .hasContentType(PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.status")
                .isEqualTo(422);
    }

    @Test
    void rejectsAnIdempotencyKeyLongerThan255Characters() {
        assertRejected(
                mvc.post()
                        .uri("/api/orders")
                        .header("Idempotency-Key", "k".repeat(256))
                        .contentType(APPLICATION_JSON)
                        .content(VALID_ORDER),
                "Idempotency-Key");
        then(orders).shouldHaveNoInteractions();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ordersBreakingARule")
    void rejectsAnOrderThatBreaksARuleNamingTheField(String rule, String body, String field) {
        assertRejected(post(body), field);
        then(orders).shouldHaveNoInteractions();
    }

    static Stream<Arguments> ordersBreakingARule() {
        return Stream.of(
                rule("customerId with a space", order("\"ali ce\"", "\"EUR\"", validItems()), "customerId"),
                rule("customerId with a slash", order("\"al/ice\"", "\"EUR\"", validItems()), "customerId"),
                rule("empty customerId", order("\"\"", "\"EUR\"", validItems()), "customerId"),
                rule(
                        "customerId of 65 characters",
                        order("\"" + "a".repeat(65) + "\"", "\"EUR\"", validItems()),
                        "customerId"),
                rule("missing customerId", """
                        {"currency": "EUR", "items": %s}""".formatted(validItems()), "customerId"),
                rule("customerId that is a number", order("42", "\"EUR\"", validItems()), "customerId"),
                rule("lower-case currency", order("\"alice\"", "\"eur\"", validItems()), "currency"),
                rule("currency of four letters", order("\"alice\"", "\"EURO\"", validItems()), "currency"),
                rule("missing currency", """
                        {"customerId": "alice", "items": %s}""".formatted(validItems()), "currency"),
                rule("no items", order("\"alice\"", "\"EUR\"", "[]"), "items"),
                rule("101 items", order("\"alice\"", "\"EUR\"", items(item("\"A\"", "1", "1.00"), 101)), "items"),
                rule("missing items", """
                        {"customerId": "alice", "currency": "EUR"}""", "items"),
                rule("empty sku", withItem("\"\"", "1", "1.00"), "items[0].sku"),
                rule("sku of 65 characters", withItem("\"" + "S".repeat(65) + "\"", "1", "1.00"), "items[0].sku"),
                rule("sku with a NUL", withItem("\"A\\u0000B\"", "1", "1.00"), "items[0].sku"),
                rule("sku with a line feed", withItem("\"A\\nB\"", "1", "1.00"), "items[0].sku"),
                rule("sku with a C1 control", withItem("\"A\\u0085B\"", "1", "1.00"), "items[0].sku"),
                rule("quantity 0", withItem("\"A\"", "0", "1.00"), "items[0].quantity"),
                rule("quantity 1001", withItem("\"A\"", "1001", "1.00"), "items[0].quantity"),
                rule("quantity 1.5, not an integer", withItem("\"A\"", "1.5", "1.00"), "items[0].quantity"),
                rule("quantity \"2\", a string", withItem("\"A\"", "\"2\"", "1.00"), "items[0].quantity"),
                rule("missing quantity", withItem("\"A\"", "null", "1.00"), "items[0].quantity"),
                rule("unitPrice 0", withItem("\"A\"", "1", "0"), "items[0].unitPrice"),
                rule("negative unitPrice", withItem("\"A\"", "1", "-1.00"), "items[0].unitPrice"),
                rule("unitPrice 1000000.01", withItem("\"A\"", "1", "1000000.01"), "items[0].unitPrice"),
                rule("unitPrice with 3 decimals", withItem("\"A\"", "1", "1.234"), "items[0].unitPrice"),
                rule("unitPrice \"12.50\", a string", withItem("\"A\"", "1", "\"12.50\""), "items[0].unitPrice"),
                rule(
                        "an invalid second item",
                        order(
                                "\"alice\"",
                                "\"EUR\"",
                                "[%s, %s]".formatted(item("\"A\"", "1", "1.00"), item("\"B\"", "0", "1.00"))),
                        "items[1].quantity"));
    }

    @Test
    void listsAtMostTwentyOffendingFieldsAndSaysHowManyThereWere() {
        String body = order("\"alice\"", "\"EUR\"", items(item("\"\"", "0", "0"), 100));

        assertThat(post(body))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(PROBLEM_JSON)
                .bodyJson()
                .satisfies(json -> {
                    assertThat(json).extractingPath("$.errors").asArray().hasSize(20);
                    assertThat(json).extractingPath("$.errorCount").isEqualTo(300);
                    assertThat(json).extractingPath("$.errorsOmitted").isEqualTo(280);
                    assertThat(json).extractingPath("$.detail").asString().endsWith(" and 280 more");
                });
        then(orders).shouldHaveNoInteractions();
    }

    @Test
    void rejectsAnIdempotencyKeyWithAControlCharacter() {
        assertRejected(
                mvc.post()
                        .uri("/api/orders")
                        .header("Idempotency-Key", "key\u0001")
                        .contentType(APPLICATION_JSON)
                        .content(VALID_ORDER),
                "Idempotency-Key");
        then(orders).shouldHaveNoInteractions();
    }

    @Test
    void rejectsMalformedJson() {
        assertRejected(post("{\"customerId\": "), "body");
        then(orders).shouldHaveNoInteractions();
    }

    // --- reading -----------------------------------------------------------------------------------

    @Test
    void answersWithTheOrder() {
        Order order = anOrder();
        given(orders.get(order.getId())).willReturn(order);

        assertThat(mvc.get().uri("/api/orders/{id}", order.getId()))
                .hasStatusOk()
                .bodyJson()
                .isLenientlyEqualTo("""
                        {"orderId": "%s", "customerId": "alice", "status": "PENDING", "total": 25.00}""".formatted(order.getId()));
    }

    @Test
    void answersAnUnknownOrderWithNotFound() {
        UUID unknown = UUID.randomUUID();
        given(orders.get(unknown)).willThrow(new OrderNotFoundException(unknown));

        assertThat(mvc.get().uri("/api/orders/{id}", unknown))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains(unknown.toString());
    }

    @Test
    void rejectsAnOrderIdThatIsNotAUuid() {
        assertThat(mvc.get().uri("/api/orders/not-a-uuid"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(PROBLEM_JSON);
        assertThat(mvc.post().uri("/api/orders/not-a-uuid/cancel"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(PROBLEM_JSON);
        then(orders).shouldHaveNoInteractions();
    }

    @Test
    void listsACustomersOrdersAsAPage() {
        Order order = anOrder();
        given(orders.list("alice", 1, 20)).willReturn(new PagedList<>(List.of(order), 1, 20, 41));

        assertThat(mvc.get().uri("/api/orders?customerId=alice&page=1&size=20"))
                .hasStatusOk()
                .bodyJson()
                .isLenientlyEqualTo("""
                        {"content": [{"orderId": "%s", "customerId": "alice", "status": "PENDING"}],
                         "page": {"size": 20, "number": 1, "totalElements": 41, "totalPages": 3}}""".formatted(order.getId()));
    }

    @Test
    void listsACustomersOrdersTwentyAtATimeByDefault() {
        given(orders.list("alice", 0, 20)).willReturn(new PagedList<>(List.of(), 0, 20, 0));

        assertThat(mvc.get().uri("/api/orders?customerId=alice"))
                .hasStatusOk()
                .bodyJson()
                .isLenientlyEqualTo("""
                        {"content": [], "page": {"size": 20, "number": 0, "totalElements": 0, "totalPages": 0}}""");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "customerId=", "customerId=a%20b", "customerId=%00", "page=0"})
    void refusesToListWithoutAValidCustomer(String query) {
        assertRejected(mvc.get().uri("/api/orders?" + query), "customerId");
        then(orders).shouldHaveNoInteractions();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 101})
    void rejectsAPageSizeOutside1To100(int size) {
        assertRejected(mvc.get().uri("/api/orders?customerId=alice&size=" + size), "size");
        then(orders).shouldHaveNoInteractions();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 100_001, Integer.MAX_VALUE})
    void rejectsAPageNumberOutside0To100000(int page) {
        assertRejected(mvc.get().uri("/api/orders?customerId=alice&page=" + page), "page");
        then(orders).shouldHaveNoInteractions();
    }

    // --- cancelling --------------------------------------------------------------------------------

    @Test
    void cancelsAnOrder() {
        Order order = anOrder();
        order.cancel();
        given(orders.cancel(order.getId())).willReturn(order);

        assertThat(mvc.post().uri("/api/orders/{id}/cancel", order.getId()))
                .hasStatus(HttpStatus.ACCEPTED)
                .bodyJson()
                .isLenientlyEqualTo("""
                        {"orderId": "%s", "status": "CANCELLED"}""".formatted(order.getId()));
    }

    @Test
    void refusesToCancelAnOrderThatCanNoLongerBeCancelled() {
        UUID orderId = UUID.randomUUID();
        given(orders.cancel(orderId)).willThrow(new OrderNotCancellableException(orderId, OrderStatus.REJECTED));

        assertThat(mvc.post().uri("/api/orders/{id}/cancel", orderId))
                .hasStatus(HttpStatus.CONFLICT)
                .hasContentType(PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("REJECTED");
    }

    @Test
    void answersCancellingAnUnknownOrderWithNotFound() {
        UUID unknown = UUID.randomUUID();
        given(orders.cancel(unknown)).willThrow(new OrderNotFoundException(unknown));

        assertThat(mvc.post().uri("/api/orders/{id}/cancel", unknown))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(PROBLEM_JSON);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static Order anOrder() {
        return Order.place("alice", "EUR", List.of(new OrderItem("BOOK-1", 2, new BigDecimal("12.50"))));
    }

    private MockMvcTester.MockMvcRequestBuilder post(String body) {
        return mvc.post().uri("/api/orders").contentType(APPLICATION_JSON).content(body);
    }

    /** A 400 problem whose {@code errors} name exactly the given field. */
    private static void assertRejected(MockMvcTester.MockMvcRequestBuilder request, String field) {
        assertThat(request)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errors[*].field")
                .asArray()
                .containsExactly(field);
    }

    private static Arguments rule(String rule, String body, String field) {
        return Arguments.of(rule, body, field);
    }

    private static String order(String customerId, String currency, String items) {
        return """
                {"customerId": %s, "currency": %s, "items": %s}""".formatted(customerId, currency, items);
    }

    private static String withItem(String sku, String quantity, String unitPrice) {
        return order("\"alice\"", "\"EUR\"", "[" + item(sku, quantity, unitPrice) + "]");
    }

    private static String item(String sku, String quantity, String unitPrice) {
        return """
                {"sku": %s, "quantity": %s, "unitPrice": %s}""".formatted(sku, quantity, unitPrice);
    }

    private static String validItems() {
        return "[" + item("\"BOOK-1\"", "2", "12.50") + "]";
    }

    private static String items(String item, int count) {
        return "[" + String.join(", ", Collections.nCopies(count, item)) + "]";
    }
}

package dev.orderflow.orderservice.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.springframework.http.MediaType.APPLICATION_JSON;

import dev.orderflow.orderservice.order.Order;
import dev.orderflow.orderservice.order.OrderItem;
import dev.orderflow.orderservice.order.OrderManagement;
import dev.orderflow.orderservice.order.OrderManagement.Placement;
import dev.orderflow.platform.web.WebAutoConfiguration;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** Cross-origin calls from a browser, with the default configuration: notification-service's page only. */
@WebMvcTest(OrderController.class)
@ImportAutoConfiguration(WebAutoConfiguration.class)
@Import(PlacementAdmission.class)
class CrossOriginWebTest {

    private static final String NOTIFICATION_PAGE = "http://localhost:8082";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    OrderManagement orders;

    @Test
    void answersAPreflightFromTheNotificationPageToPlaceAnOrder() {
        assertThat(preflight(NOTIFICATION_PAGE, "POST"))
                .hasStatusOk()
                .hasHeader("Access-Control-Allow-Origin", NOTIFICATION_PAGE)
                .satisfies(result -> {
                    assertThat(result.getResponse().getHeader("Access-Control-Allow-Methods"))
                            .contains("POST");
                    assertThat(result.getResponse().getHeader("Access-Control-Allow-Headers"))
                            .containsIgnoringCase("Content-Type")
                            .containsIgnoringCase("Idempotency-Key");
                });
    }

    @Test
    void refusesAPreflightFromAnotherOrigin() {
        for (String origin : List.of("http://localhost:9999", "https://shop.example")) {
            assertThat(preflight(origin, "POST"))
                    .hasStatus(HttpStatus.FORBIDDEN)
                    .doesNotContainHeader("Access-Control-Allow-Origin");
        }
    }

    @Test
    void refusesAPreflightForAMethodItDoesNotAllow() {
        assertThat(mvc.options()
                        .uri("/api/orders/{id}", "3f2a9c1e-7b4d-4e8a-9c1f-2d3e4f5a6b7c")
                        .header("Origin", NOTIFICATION_PAGE)
                        .header("Access-Control-Request-Method", "DELETE"))
                .hasStatus(HttpStatus.FORBIDDEN);
    }

    @Test
    void letsTheNotificationPageReadThePlacedOrderAndItsLocation() {
        Order order = Order.place("alice", "EUR", List.of(new OrderItem("BOOK-1", 2, new BigDecimal("12.50"))));
        given(orders.place(any(), any())).willReturn(new Placement(order, true));

        assertThat(mvc.post()
                        .uri("/api/orders")
                        .header("Origin", NOTIFICATION_PAGE)
                        .contentType(APPLICATION_JSON)
                        .content("""
                                {"customerId": "alice", "currency": "EUR",
                                 "items": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": 12.50}]}"""))
                .hasStatus(HttpStatus.ACCEPTED)
                .hasHeader("Access-Control-Allow-Origin", NOTIFICATION_PAGE)
                .hasHeader("Access-Control-Expose-Headers", "Location");
    }

    private MockMvcTester.MockMvcRequestBuilder preflight(String origin, String method) {
        return mvc.options()
                .uri("/api/orders")
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "content-type,idempotency-key");
    }
}

package dev.orderflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each running service describes its API: an OpenAPI 3.1 document generated from its code, public, with the
 * problems every operation can answer, and Swagger UI beside it.
 */
class ApiDocumentationEndToEndTest {

    static Suite suite;

    @BeforeAll
    static void startSuite() {
        suite = Suite.get();
    }

    @Test
    void eachServiceServesItsOpenApiDocumentWithEveryProblemResponse() {
        Map<String, List<String>> paths = Map.of(
                suite.orders.baseUrl(),
                List.of("/api/orders", "/api/orders/{orderId}", "/api/orders/{orderId}/cancel"),
                suite.payments.baseUrl(),
                List.of("/api/payments", "/api/customers/{customerId}/credit"),
                suite.notifications.baseUrl(),
                List.of(
                        "/api/notifications",
                        "/api/notifications/stream",
                        "/api/customers/{customerId}/contact",
                        "/api/admin/dead-letters"));
        paths.forEach((service, expected) -> {
            Http.Response document = Http.get(service + "/v3/api-docs");

            assertThat(document.status()).as(service).isEqualTo(200);
            assertThat(document.body().get("openapi").asString()).startsWith("3.1");
            JsonNode documented = document.body().get("paths");
            assertThat(documented.propertyNames()).as(service).containsAll(expected);
            for (JsonNode path : documented) {
                for (JsonNode operation : path) {
                    JsonNode responses = operation.get("responses");
                    assertThat(responses.propertyNames()).contains("400", "500", "503");
                    assertThat(responses.get("503").get("content").propertyNames())
                            .containsExactly("application/problem+json");
                }
            }
            assertThat(document.body().get("components").get("schemas").propertyNames())
                    .contains("Problem");
        });
    }

    @Test
    void eachServiceShowsSwaggerUiToAnyone() {
        for (String service :
                List.of(suite.orders.baseUrl(), suite.payments.baseUrl(), suite.notifications.baseUrl())) {
            RawHttp.Answer page = RawHttp.send(service, "GET /swagger-ui/index.html HTTP/1.1", null);
            assertThat(page.status()).as(service).isEqualTo(200);
            assertThat(page.text()).contains("swagger-ui");
        }
    }
}

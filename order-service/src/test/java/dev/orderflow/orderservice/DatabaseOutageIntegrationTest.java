package dev.orderflow.orderservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.testsupport.Database;
import dev.orderflow.testsupport.TcpProxy;
import dev.orderflow.testsupport.TestInfrastructure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * While the service's database is unreachable, every request learns so: a 503 problem with Retry-After, never a
 * success status without the resource, never an error page of the container. The database is cut with a
 * {@link TcpProxy} between the service and PostgreSQL, as the fault suite does, so that connections fail the way
 * they do in production (reset, refused), which Spring MVC had taken for a client that went away and answered
 * 200 with no body.
 */
class DatabaseOutageIntegrationTest {

    private static final String ORDER = """
            {"customerId": "dora", "currency": "EUR", "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": 10}]}""";

    private static TcpProxy database;
    private static ConfigurableApplicationContext service;
    private static RestClient http;

    @BeforeAll
    static void startTheServiceBehindAProxyToItsDatabase() {
        Database db = TestInfrastructure.newDatabase("orders");
        URI url = URI.create(db.url().substring("jdbc:".length()));
        database = TcpProxy.start("orders-db", url.getHost(), url.getPort());
        Map<String, String> properties = new HashMap<>();
        properties.put("spring.datasource.url", "jdbc:postgresql://" + database.address() + url.getPath());
        properties.put("spring.datasource.username", db.username());
        properties.put("spring.datasource.password", db.password());
        properties.put("spring.kafka.bootstrap-servers", TestInfrastructure.kafkaBootstrapServers());
        properties.put("server.port", "0");
        // As in the fault suite: a request gives up on a connection after 2 s.
        properties.put("spring.datasource.hikari.connection-timeout", "2000");
        service = StandaloneOrderService.start(properties);
        http = StandaloneOrderService.client(service);
    }

    @AfterEach
    void restore() {
        database.restore();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        database.close();
    }

    @Test
    void answersEveryRequestWith503AndRetryAfterWhileTheDatabaseIsCutAndTheRetrySucceedsAfter() throws Exception {
        UUID existing = UUID.fromString(
                place("before-" + UUID.randomUUID()).getBody().get("orderId").asString());
        database.cut();

        String key = "during-" + UUID.randomUUID();
        // Several at once, as a client's retries and other clients' orders arrive during an outage.
        List<CompletableFuture<ResponseEntity<JsonNode>>> placements = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String k = i == 0 ? key : "other-" + i + "-" + UUID.randomUUID();
            placements.add(CompletableFuture.supplyAsync(() -> place(k)));
        }
        List<ResponseEntity<JsonNode>> answers = new ArrayList<>();
        for (var placement : placements) {
            answers.add(placement.get());
        }
        answers.add(get("/api/orders/" + existing));
        answers.add(get("/api/orders?customerId=dora"));
        answers.add(
                http.post().uri("/api/orders/{id}/cancel", existing).retrieve().toEntity(JsonNode.class));

        for (ResponseEntity<JsonNode> answer : answers) {
            assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
            assertThat(answer.getBody().get("status").asInt()).isEqualTo(503);
            assertThat(answer.getBody().get("title").asString()).isEqualTo("Database unavailable");
        }

        database.restore();
        ResponseEntity<JsonNode> retried = await().atMost(Duration.ofSeconds(30))
                .until(() -> place(key), answer -> answer.getStatusCode().is2xxSuccessful());
        assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(retried.getBody().get("orderId").asString()).isNotBlank();
        assertThat(get("/api/orders?customerId=dora")
                        .getBody()
                        .get("page")
                        .get("totalElements")
                        .asLong())
                .as("the order placed before and the one retried, nothing of the refused ones")
                .isEqualTo(2);
    }

    private static ResponseEntity<JsonNode> place(String idempotencyKey) {
        return OrderPlacements.place(http, ORDER, idempotencyKey);
    }

    private static ResponseEntity<JsonNode> get(String path) {
        return http.get().uri(path).retrieve().toEntity(JsonNode.class);
    }
}

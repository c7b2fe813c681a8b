package dev.orderflow.orderservice;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.orderflow.testsupport.RealInfrastructure;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;

/**
 * More placements at once than the service admits: the one over the limit is refused with a 503 problem
 * and Retry-After once it has waited its turn, while the admitted one completes. One placement is admitted
 * here, and it is held up inside the service by a transaction of the test holding its Idempotency-Key. A
 * placement whose body is still arriving holds no permit.
 */
@SpringBootTest(
        classes = OrderServiceApplication.class,
        webEnvironment = RANDOM_PORT,
        properties = {
            "spring.config.name=order-service",
            "orders.placement.max-concurrent=1",
            "orders.placement.max-wait=300ms"
        })
@Import(PlacementAdmissionIntegrationTest.Arrivals.class)
@RealInfrastructure
class PlacementAdmissionIntegrationTest extends OrderServiceFixture {

    private static final String BODY = """
            {"customerId": "erin", "currency": "EUR", "items": [{"sku": "BOOK-1", "quantity": 1, "unitPrice": 10}]}""";

    @Autowired
    DataSource dataSource;

    /** However the path is spelled, the placement is the handler's, and the handler admits it or not. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/orders", "/api/%6Frders", "/api/%6f%72%64%65%72%73"})
    void refusesAPlacementOverTheLimitWith503AndRetryAfterAndCompletesTheAdmittedOne(String path) throws Exception {
        String heldKey = "held-" + UUID.randomUUID();
        CompletableFuture<ResponseEntity<JsonNode>> admitted;
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement claim = other.prepareStatement(
                    "INSERT INTO idempotency_key (key, request_hash, order_id) VALUES (?, 'another request', ?)")) {
                claim.setString(1, heldKey);
                claim.setObject(2, UUID.randomUUID());
                claim.executeUpdate();
            }
            admitted = CompletableFuture.supplyAsync(() -> place(heldKey));
            // The admitted placement now waits for the test's transaction, holding the only permit.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                                    .query(Long.class)
                                    .single()
                            > 0);

            ResponseEntity<JsonNode> refused = place(path, "other-" + UUID.randomUUID());

            assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(refused.getBody().get("status").asInt()).isEqualTo(503);
            assertThat(refused.getBody().get("title").asString()).isEqualTo("Too busy");
            assertThat(refused.getBody().get("detail").asString()).contains("Idempotency-Key");
            assertThat(admitted).isNotDone();
            other.rollback();
        }

        assertThat(admitted.get().getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(place("after-" + UUID.randomUUID()).getStatusCode())
                .as("the permit is given back")
                .isEqualTo(HttpStatus.ACCEPTED);
    }

    @Test
    void admitsACompletePlacementWhileAnotherClientIsStillSendingItsBody() throws Exception {
        byte[] body = BODY.getBytes(UTF_8);
        int half = body.length / 2;
        String key = "slow-" + UUID.randomUUID();
        try (Socket slow = new Socket("localhost", port)) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                            + "\r\nIdempotency-Key: " + key + "\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(UTF_8));
            out.write(body, 0, half);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> Arrivals.KEYS.contains(key));

            assertThat(place("meanwhile-" + UUID.randomUUID()).getStatusCode())
                    .as("a complete placement while the other one's body is still arriving")
                    .isEqualTo(HttpStatus.ACCEPTED);

            out.write(body, half, body.length - half);
            out.flush();
            assertThat(new String(slow.getInputStream().readAllBytes(), UTF_8)).startsWith("HTTP/1.1 202");
        }
    }

    /**
     * Notes the Idempotency-Key of every request as it enters the service, ahead of every other filter and before
     * any of its body is read: the test sees the slow placement inside the service while its body is arriving.
     */
    @TestConfiguration
    static class Arrivals {

        static final Set<String> KEYS = ConcurrentHashMap.newKeySet();

        @Bean
        FilterRegistrationBean<OncePerRequestFilter> arrivals() {
            FilterRegistrationBean<OncePerRequestFilter> registration =
                    new FilterRegistrationBean<>(new OncePerRequestFilter() {
                        @Override
                        protected void doFilterInternal(
                                HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                                throws ServletException, IOException {
                            String key = request.getHeader("Idempotency-Key");
                            if (key != null) {
                                KEYS.add(key);
                            }
                            chain.doFilter(request, response);
                        }
                    });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    private ResponseEntity<JsonNode> place(String idempotencyKey) {
        return place("/api/orders", idempotencyKey);
    }

    /** To the path exactly as given, percent-encodings and all. */
    private ResponseEntity<JsonNode> place(String path, String idempotencyKey) {
        return http.post()
                .uri(URI.create("http://localhost:" + port + path))
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", idempotencyKey)
                .body(BODY)
                .retrieve()
                .toEntity(JsonNode.class);
    }
}

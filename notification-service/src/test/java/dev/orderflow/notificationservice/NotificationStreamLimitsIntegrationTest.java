package dev.orderflow.notificationservice;

import static dev.orderflow.testsupport.OrderEvents.newCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.notificationservice.notification.live.LiveNotifications;
import dev.orderflow.testsupport.EventStreamClient;
import dev.orderflow.testsupport.EventStreamClient.Stream;
import dev.orderflow.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How many live streams the service keeps open: a few per customer, a bounded number in all, the rest refused
 * with a 429 problem and Retry-After. With no heartbeat within the test's patience and no notification, so that
 * the answer of an accepted stream can only come from its first line.
 */
@SpringBootTest(
        classes = NotificationServiceApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=notification-service",
            "notifications.stream.heartbeat=1h",
            "notifications.stream.max-per-customer=2",
            "notifications.stream.max-total=5",
            "notifications.stream.retry-after=7s"
        })
@RealInfrastructure
class NotificationStreamLimitsIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    LiveNotifications live;

    @Test
    void answersEachStreamAtOnceAndRefusesThosePastTheCustomersLimitOrTheServicesTotal() throws Exception {
        List<Stream> streams = new ArrayList<>();
        try (EventStreamClient client = new EventStreamClient()) {
            String customer = newCustomer();
            for (int i = 0; i < 2; i++) {
                streams.add(openAndExpectHeadersAtOnce(client, customer));
            }
            assertRefused(customer, "Customer " + customer);

            while (live.subscriptionCount() < 5) {
                streams.add(openAndExpectHeadersAtOnce(client, newCustomer()));
            }
            assertRefused(newCustomer(), "This service");
            assertThat(live.subscriptionCount()).isEqualTo(5);
        } finally {
            streams.forEach(Stream::close);
        }
    }

    /** The status and headers come with the stream's first line ({@code retry:}), not with a first event. */
    private Stream openAndExpectHeadersAtOnce(EventStreamClient client, String customer) throws Exception {
        Stream stream = client.open(uri(customer));
        assertThat(stream.statusCode(Duration.ofSeconds(5))).isEqualTo(200);
        assertThat(stream.events).isEmpty();
        return stream;
    }

    private void assertRefused(String customer, String who) throws Exception {
        // An accepted stream's body never ends: within 10 s, the whole answer or the test fails.
        HttpResponse<String> refused = HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(uri(customer))
                                .header("Accept", "text/event-stream")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).startsWith(who);
    }

    private URI uri(String customer) {
        return URI.create("http://localhost:" + port + "/api/notifications/stream?customerId=" + customer);
    }
}

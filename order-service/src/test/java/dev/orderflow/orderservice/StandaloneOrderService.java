package dev.orderflow.orderservice;

import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

/**
 * order-service started on a free port outside Spring's test-context cache, for tests that break what it depends on
 * (its broker, its database) and must not leave a broken service to the next test class.
 */
final class StandaloneOrderService {

    private StandaloneOrderService() {}

    /** Started with these settings as command-line arguments; close it when done. */
    static ConfigurableApplicationContext start(Map<String, String> properties) {
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return OrderServiceApplication.application().registerShutdownHook(false).run(args);
    }

    /** A client of the service that hands back error answers instead of throwing them. */
    static RestClient client(ConfigurableApplicationContext service) {
        return RestClient.builder()
                .baseUrl("http://localhost:" + service.getEnvironment().getRequiredProperty("local.server.port"))
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }
}

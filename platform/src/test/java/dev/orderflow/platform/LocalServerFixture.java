package dev.orderflow.platform;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/**
 * What the tests of a service started on a random port share: an HTTP client of it that hands back every answer,
 * errors included, so that a test asserts on the status instead of catching exceptions.
 */
public abstract class LocalServerFixture {

    @LocalServerPort
    protected int port;

    protected RestClient http;

    @BeforeEach
    protected void client() {
        http = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {})
                .build();
    }
}

package dev.orderflow.platform;

import org.springframework.web.client.RestClient;

/** HTTP clients of a service that a test started on a port of this machine. */
public final class LocalServer {

    private LocalServer() {}

    /**
     * A client of the service on this port that hands back every answer, errors included, so that a test asserts on
     * the status instead of catching exceptions.
     */
    public static RestClient client(int port) {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {})
                .build();
    }
}

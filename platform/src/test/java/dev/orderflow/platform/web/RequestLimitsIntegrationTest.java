package dev.orderflow.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.platform.deadletter.DeadLetterTestApplication;
import dev.orderflow.testsupport.RealInfrastructure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * What a service takes in and how it refuses the rest, through a real server: bodies over the limit (declared or
 * not) are a 413 problem, a URL the firewall refuses and the container's error page are problems too.
 */
@SpringBootTest(
        classes = DeadLetterTestApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "orderflow.web.max-body-size=1KB",
            // a client silent in the middle of its request is cut off after this
            "server.tomcat.connection-timeout=2s"
        })
@ActiveProfiles("dead-letters")
@RealInfrastructure
class RequestLimitsIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void refusesABodyThatDeclaresMoreThanTheLimitBeforeReadingIt() throws Exception {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/echo"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1025))));

        assertProblem(refused, 413);
        assertThat(refused.body()).contains("\"maxBodySize\":1024");
        assertThat(refused.headers().firstValue("Connection")).hasValue("close");
    }

    /**
     * Only the head is sent: the answer comes without a byte of the body, and the server, after waiting for the
     * body it would drop, closes the connection once the client has been silent for the connection timeout.
     */
    @Test
    void answersABodyDeclaredTooLargeBeforeAnyOfItArrives() throws Exception {
        String answer = raw("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain"
                + "\r\nContent-Length: 8388608\r\nConnection: close\r\n\r\n");

        assertThat(answer)
                .startsWith("HTTP/1.1 413")
                .contains("application/problem+json")
                .contains("\"maxBodySize\":1024");
    }

    @Test
    void refusesAChunkedBodyOnceItGoesPastTheLimit() throws Exception {
        byte[] body = "y".repeat(5000).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/echo"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertProblem(refused, 413);
    }

    @Test
    void acceptsABodyUpToTheLimit() throws Exception {
        HttpResponse<String> echoed = send(HttpRequest.newBuilder(uri("/api/echo"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("z".repeat(1024))));

        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).hasSize(1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/echo;jsessionid=abc", "/api//echo", "/api/%2e%2e/api/echo", "/api/echo%2F"})
    void refusesAUrlTheFirewallRejectsWithAProblem(String path) throws Exception {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertProblem(refused, 400);
    }

    @Test
    void answersWhatTheContainerRefusesAsAProblem() throws Exception {
        // an invalid percent-encoding never reaches a filter
        String answer = raw("GET /api/echo%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(answer)
                .startsWith("HTTP/1.1 400")
                .contains("application/problem+json")
                .contains("\"status\":400");
    }

    @Test
    void answersTheErrorPageAsAProblemWhateverTheClientAccepts() throws Exception {
        HttpResponse<String> error = send(HttpRequest.newBuilder(uri("/error")).header("Accept", "text/html"));

        assertProblem(error, 500);
    }

    private void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + status);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

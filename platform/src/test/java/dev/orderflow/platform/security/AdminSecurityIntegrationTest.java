package dev.orderflow.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.platform.LocalServerFixture;
import dev.orderflow.platform.deadletter.DeadLetterTestApplication;
import dev.orderflow.testsupport.RealInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

/**
 * Who may call what: the admin API only with the configured credentials, Actuator's public endpoints by
 * anyone and its others by no one, everything else by anyone, without a CSRF token or a session.
 */
@SpringBootTest(classes = DeadLetterTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("dead-letters")
@RealInfrastructure
class AdminSecurityIntegrationTest extends LocalServerFixture {

    private static final String ADMIN_API = "/api/admin/dead-letters";

    @Test
    void refusesTheAdminApiWithoutCredentialsWithAProblemAndABasicChallenge() {
        ResponseEntity<String> refused = call(HttpMethod.GET, ADMIN_API, null);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic ");
        assertThat(refused.getBody()).contains("\"status\":401").contains("\"instance\":\"" + ADMIN_API + "\"");
        for (String path : List.of(ADMIN_API + "/1", ADMIN_API + "/1/replay", ADMIN_API + "/1/discard")) {
            HttpMethod method = path.endsWith("/1") ? HttpMethod.GET : HttpMethod.POST;
            assertThat(call(method, path, null).getStatusCode()).as(path).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
    }

    @Test
    void refusesWrongCredentials() {
        for (String[] credentials :
                List.of(new String[] {"admin", "wrong"}, new String[] {"root", "secret"}, new String[] {"admin", ""})) {
            ResponseEntity<String> refused = call(HttpMethod.GET, ADMIN_API, credentials);
            assertThat(refused.getStatusCode())
                    .as(String.join(":", credentials))
                    .isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void admitsTheConfiguredAdminAndRemembersNothing() {
        ResponseEntity<String> admitted = call(HttpMethod.GET, ADMIN_API, new String[] {"admin", "secret"});

        assertThat(admitted.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(admitted.getHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
        assertThat(call(HttpMethod.GET, ADMIN_API, null).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void refusesAnAdminPostFromAnotherSitesPageEvenWithTheCredentials() {
        String[] admin = {"admin", "secret"};
        for (String[] header : List.of(
                new String[] {"Sec-Fetch-Site", "cross-site"},
                new String[] {"Sec-Fetch-Site", "same-site"},
                new String[] {"Origin", "https://evil.example"},
                new String[] {"Origin", "http://localhost:1"},
                new String[] {"Origin", "null"})) {
            ResponseEntity<String> refused = http.post()
                    .uri(ADMIN_API + "/1/replay")
                    .headers(headers -> {
                        headers.setBasicAuth(admin[0], admin[1]);
                        headers.set(header[0], header[1]);
                    })
                    .retrieve()
                    .toEntity(String.class);
            assertThat(refused.getStatusCode()).as(String.join(": ", header)).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void admitsAnAdminPostFromItsOwnOriginOrFromAClientThatIsNoBrowser() {
        for (String[] header : List.of(
                new String[] {"Sec-Fetch-Site", "same-origin"},
                new String[] {"Origin", "http://localhost:" + port},
                new String[] {"X-Nothing", "curl"})) {
            ResponseEntity<String> admitted = http.post()
                    .uri(ADMIN_API + "/999999/replay")
                    .headers(headers -> {
                        headers.setBasicAuth("admin", "secret");
                        headers.set(header[0], header[1]);
                    })
                    .retrieve()
                    .toEntity(String.class);
            // past the guard and the credentials: the dead letter does not exist
            assertThat(admitted.getStatusCode()).as(String.join(": ", header)).isEqualTo(HttpStatus.NOT_FOUND);
        }
    }

    @Test
    void leavesHealthInfoMetricsAndPrometheusOpen() {
        for (String path : List.of(
                "/actuator/health",
                "/actuator/health/db",
                "/actuator/health/liveness",
                "/actuator/health/readiness",
                "/actuator/info",
                "/actuator/metrics",
                "/actuator/metrics/dead_letters.pending",
                "/actuator/prometheus")) {
            assertThat(call(HttpMethod.GET, path, null).getStatusCode())
                    .as(path)
                    .isEqualTo(HttpStatus.OK);
        }
    }

    @Test
    void deniesEveryOtherActuatorEndpointEvenToTheAdmin() {
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/loggers")) {
            assertThat(call(HttpMethod.GET, path, null).getStatusCode())
                    .as(path)
                    .isEqualTo(HttpStatus.UNAUTHORIZED);
            ResponseEntity<String> denied = call(HttpMethod.GET, path, new String[] {"admin", "secret"});
            assertThat(denied.getStatusCode()).as(path).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(denied.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void leavesEverythingElseOpenWithoutCsrfToken() {
        ResponseEntity<String> echoed = http.post()
                .uri("/api/echo")
                .contentType(MediaType.TEXT_PLAIN)
                .body("hello")
                .retrieve()
                .toEntity(String.class);

        assertThat(echoed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(echoed.getBody()).isEqualTo("hello");
        assertThat(call(HttpMethod.GET, "/nothing-here", null).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void hasNoLogoutOnPublicPaths() throws Exception {
        // Spring Security's default logout answers with a redirect to a login page that does not exist; a client
        // that follows redirects would see that page's 404 either way, so this one does not follow them
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> logout = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/logout"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(logout.statusCode())
                    .as(logout.headers().map().toString())
                    .isEqualTo(404);
            assertThat(logout.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void ignoresCredentialsOnPublicPathsInsteadOfCheckingThem() {
        String[] wrong = {"admin", "wrong"};
        assertThat(call(HttpMethod.GET, "/actuator/health", wrong).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(call(HttpMethod.GET, "/actuator/prometheus", wrong).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        ResponseEntity<String> echoed = http.post()
                .uri("/api/echo")
                .headers(headers -> headers.setBasicAuth("admin", "wrong"))
                .contentType(MediaType.TEXT_PLAIN)
                .body("hello")
                .retrieve()
                .toEntity(String.class);
        assertThat(echoed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(echoed.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    private ResponseEntity<String> call(HttpMethod method, String path, String[] credentials) {
        return http.method(method)
                .uri(path)
                .headers(headers -> {
                    if (credentials != null) {
                        headers.setBasicAuth(credentials[0], credentials[1]);
                    }
                })
                .retrieve()
                .toEntity(String.class);
    }
}

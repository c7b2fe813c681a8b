package dev.orderflow.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.platform.LocalServerFixture;
import dev.orderflow.testsupport.RealInfrastructure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;

/** A service started without an admin password: no one gets into the admin API, and the log says why. */
@SpringBootTest(
        classes = AdminDisabledIntegrationTest.Service.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "orderflow.admin.password=")
@RealInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class AdminDisabledIntegrationTest extends LocalServerFixture {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {}

    @Test
    void refusesEveryoneAndSaysSoAtStartUpWithoutAGeneratedPassword(CapturedOutput output) {
        for (String password : List.of("", "secret", "admin", "password")) {
            HttpStatus status = HttpStatus.valueOf(http.get()
                    .uri("/api/admin/dead-letters")
                    .headers(headers -> headers.setBasicAuth("admin", password))
                    .retrieve()
                    .toBodilessEntity()
                    .getStatusCode()
                    .value());
            assertThat(status).as(password).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        assertThat(output).contains("No admin password configured").doesNotContain("generated security password");
    }
}

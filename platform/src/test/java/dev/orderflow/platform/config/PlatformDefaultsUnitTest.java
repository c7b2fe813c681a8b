package dev.orderflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

class PlatformDefaultsUnitTest {

    @Test
    void logFormatSelectsTheStructuredConsoleFormat() {
        StandardEnvironment environment = environment(Map.of("LOG_FORMAT", "ecs"), Map.of());

        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
    }

    @Test
    void logFormatGivesWayToTheSpringBootProperty() {
        StandardEnvironment environment =
                environment(Map.of("LOG_FORMAT", "ecs", "LOGGING_STRUCTURED_FORMAT_CONSOLE", "logstash"), Map.of());

        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("logstash");
    }

    @Test
    void logsArePlainTextWithoutLogFormat() {
        assertThat(environment(Map.of(), Map.of()).containsProperty("logging.structured.format.console"))
                .isFalse();
    }

    @Test
    void samplesNoTraceWithoutAnEndpointToExportTo() {
        StandardEnvironment environment = environment(Map.of(), Map.of());

        assertThat(environment.getProperty(PlatformDefaults.SAMPLING, Double.class))
                .isZero();
    }

    @Test
    void samplesEveryTraceWhenSpansAreExported() {
        assertThat(environment(
                                Map.of(
                                        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                                        "http://tempo:4318/v1/traces"),
                                Map.of())
                        .getProperty(PlatformDefaults.SAMPLING, Double.class))
                .isEqualTo(1.0);
        StandardEnvironment older =
                environment(Map.of("MANAGEMENT_OTLP_TRACING_ENDPOINT", "http://tempo:4318/v1/traces"), Map.of());
        assertThat(older.getProperty(PlatformDefaults.SAMPLING, Double.class)).isEqualTo(1.0);
        assertThat(older.getProperty(PlatformDefaults.OTLP_ENDPOINT)).isEqualTo("http://tempo:4318/v1/traces");
    }

    @Test
    void anExplicitSamplingProbabilityWins() {
        StandardEnvironment environment = environment(
                Map.of(
                        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                        "http://tempo:4318/v1/traces",
                        "MANAGEMENT_TRACING_SAMPLING_PROBABILITY",
                        "0.1"),
                Map.of());

        assertThat(environment.getProperty(PlatformDefaults.SAMPLING, Double.class))
                .isEqualTo(0.1);
    }

    private static StandardEnvironment environment(Map<String, Object> variables, Map<String, Object> config) {
        return ProcessedEnvironment.of(new PlatformDefaults(), variables, config);
    }
}

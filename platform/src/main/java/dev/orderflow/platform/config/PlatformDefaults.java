package dev.orderflow.platform.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.StringUtils;

/**
 * The settings every service shares ({@code orderflow-defaults.yml}), as the last property source: anything a
 * service, an environment variable or an argument says comes first. After them, the {@link #ALIASES}, and the
 * sampling of traces: all when an OTLP endpoint is configured, none otherwise.
 */
class PlatformDefaults implements EnvironmentPostProcessor {

    static final String RESOURCE = "orderflow-defaults.yml";

    /**
     * Short or older names an operator reaches for, each with the Spring Boot property it sets when that is not set
     * itself: {@code LOG_FORMAT=ecs} (or {@code logstash}, {@code gelf}) for structured console logs, and Spring
     * Boot 3's name of the OTLP tracing endpoint, which Boot 4 renamed.
     */
    static final Map<String, String> ALIASES = Map.of(
            "LOG_FORMAT", "logging.structured.format.console",
            "management.otlp.tracing.endpoint", "management.opentelemetry.tracing.export.otlp.endpoint");

    static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String SAMPLING = "management.tracing.sampling.probability";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            for (PropertySource<?> source :
                    new YamlPropertySourceLoader().load("orderflowDefaults", new ClassPathResource(RESOURCE))) {
                environment.getPropertySources().addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
        Map<String, Object> aliased = new LinkedHashMap<>();
        ALIASES.forEach((alias, property) -> {
            String value = environment.getProperty(alias);
            if (StringUtils.hasText(value) && !environment.containsProperty(property)) {
                aliased.put(property, value);
            }
        });
        // Every order traced when its spans go somewhere, none otherwise: spans recorded only to be dropped would
        // cost processor time on every request and record.
        if (!environment.containsProperty(SAMPLING)) {
            boolean exported = environment.containsProperty(OTLP_ENDPOINT) || aliased.containsKey(OTLP_ENDPOINT);
            aliased.put(SAMPLING, exported ? "1.0" : "0.0");
        }
        environment.getPropertySources().addLast(new MapPropertySource("orderflowAliases", aliased));
    }
}

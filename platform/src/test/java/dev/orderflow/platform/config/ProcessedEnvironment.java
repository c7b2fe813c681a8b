package dev.orderflow.platform.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** An environment of exactly these variables and configuration, as a post-processor of the platform leaves it. */
public final class ProcessedEnvironment {

    private ProcessedEnvironment() {}

    public static StandardEnvironment of(
            EnvironmentPostProcessor processor, Map<String, Object> variables, Map<String, Object> config) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new MapPropertySource("config", config));
        environment
                .getPropertySources()
                .addLast(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        processor.postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}

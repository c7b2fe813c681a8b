package dev.orderflow.platform.security;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code ADMIN_USERNAME} and {@code ADMIN_PASSWORD}, the variables an operator sets, as the defaults of
 * {@code orderflow.admin.username} and {@code orderflow.admin.password}: every other source (arguments,
 * {@code ORDERFLOW_ADMIN_PASSWORD}, a service's yml, test properties) comes first.
 */
class AdminCredentialsFromEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "orderflowAdminCredentials",
                        Map.of(
                                "orderflow.admin.username", "${ADMIN_USERNAME:admin}",
                                "orderflow.admin.password", "${ADMIN_PASSWORD:}")));
    }
}

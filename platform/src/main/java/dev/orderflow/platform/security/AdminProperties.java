package dev.orderflow.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's HTTP Basic credentials for {@code /api/admin/**}, under {@code orderflow.admin}; the
 * environment variables {@code ADMIN_USERNAME} and {@code ADMIN_PASSWORD} set them
 * ({@link AdminCredentialsFromEnvironment}).
 *
 * @param username defaults to {@code admin}
 * @param password no default: without one, the admin endpoints answer 401 to everyone
 */
@ConfigurationProperties("orderflow.admin")
public record AdminProperties(String username, String password) {

    public boolean enabled() {
        return password != null && !password.isBlank();
    }
}

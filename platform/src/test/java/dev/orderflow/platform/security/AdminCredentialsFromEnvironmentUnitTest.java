package dev.orderflow.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.platform.config.ProcessedEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;

class AdminCredentialsFromEnvironmentUnitTest {

    @Test
    void takesTheCredentialsFromAdminUsernameAndAdminPassword() {
        AdminProperties admin = bind(Map.of("ADMIN_USERNAME", "ops", "ADMIN_PASSWORD", "s3cret"), Map.of());

        assertThat(admin.username()).isEqualTo("ops");
        assertThat(admin.password()).isEqualTo("s3cret");
        assertThat(admin.enabled()).isTrue();
    }

    @Test
    void hasAUsernameButNoPasswordByDefault() {
        AdminProperties admin = bind(Map.of(), Map.of());

        assertThat(admin.username()).isEqualTo("admin");
        assertThat(admin.password()).isEmpty();
        assertThat(admin.enabled()).isFalse();
    }

    @Test
    void givesWayToOrderflowAdminProperties() {
        AdminProperties admin = bind(
                Map.of("ADMIN_PASSWORD", "from-env", "ORDERFLOW_ADMIN_USERNAME", "root"),
                Map.of("orderflow.admin.password", "from-config"));

        assertThat(admin.username()).isEqualTo("root");
        assertThat(admin.password()).isEqualTo("from-config");
    }

    private static AdminProperties bind(Map<String, Object> variables, Map<String, Object> config) {
        return Binder.get(ProcessedEnvironment.of(new AdminCredentialsFromEnvironment(), variables, config))
                .bindOrCreate("orderflow.admin", AdminProperties.class);
    }
}

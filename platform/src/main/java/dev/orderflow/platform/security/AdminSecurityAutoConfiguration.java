package dev.orderflow.platform.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The one security configuration of every service. Public: the services' APIs, pages and streams, and
 * Actuator's health, info, metrics and Prometheus endpoints. HTTP Basic as the one admin user
 * ({@link AdminProperties}): {@code /api/admin/**}. Denied: every other Actuator endpoint. Stateless,
 * without CSRF tokens (no cookie or session ever authenticates a request), with Spring MVC's CORS
 * configuration, and problem answers for 401 and 403.
 */
@AutoConfiguration(
        before = {
            ServletWebSecurityAutoConfiguration.class,
            ManagementWebSecurityAutoConfiguration.class,
            UserDetailsServiceAutoConfiguration.class
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
@EnableConfigurationProperties(AdminProperties.class)
public class AdminSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurityAutoConfiguration.class);

    @Bean
    SecurityFilterChain orderflowSecurityFilterChain(HttpSecurity http) throws Exception {
        AuthenticationEntryPoint unauthorized = ProblemResponses.unauthorized();
        return http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                EndpointRequest.to("health", "info", "metrics", "prometheus"))
                        .permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint())
                        .denyAll()
                        .requestMatchers("/api/admin/**")
                        .authenticated()
                        .anyRequest()
                        .permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(ProblemResponses.forbidden()))
                .csrf(AbstractHttpConfigurer::disable)
                .cors(Customizer.withDefaults())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * The admin user, its password hashed at start-up; no user at all without a configured password,
     * and never a generated one.
     */
    @Bean
    @ConditionalOnMissingBean
    UserDetailsService adminUsers(AdminProperties admin, PasswordEncoder passwordEncoder) {
        if (!admin.enabled()) {
            log.warn("No admin password configured: /api/admin/** answers 401 to every request until"
                    + " ADMIN_PASSWORD (orderflow.admin.password) is set");
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(passwordEncoder.encode(admin.password()))
                .roles("ADMIN")
                .build());
    }
}

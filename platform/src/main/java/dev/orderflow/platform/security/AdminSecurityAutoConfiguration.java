package dev.orderflow.platform.security;

import java.util.Map;
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
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The one security configuration of every service, in two filter chains:
 *
 * <ul>
 *   <li>the admin API ({@code /api/admin/**}) and the Actuator endpoints other than health, info, metrics and
 *       Prometheus: HTTP Basic as the one admin user ({@link AdminProperties}) for the admin API, every such
 *       Actuator endpoint denied; stateless, problem answers for 401 and 403. No cookie or session ever
 *       authenticates a request, so there is no CSRF token; but a browser that has cached the Basic credentials
 *       sends them with another site's form too, so a state-changing admin request from another site is refused
 *       ({@link CrossSiteAdminRequests}).
 *   <li>everything else is public (the services' APIs, pages, streams, and health, info, metrics, Prometheus):
 *       only the protective response headers; no authentication is attempted, so a stray {@code Authorization}
 *       header costs nothing. CORS is Spring MVC's, configured by each service.
 * </ul>
 *
 * <p>A request the firewall refuses (an encoded slash or percent, a {@code ;} path parameter such as
 * {@code ;jsessionid}, {@code //}, {@code ..}) is a {@code 400} problem.
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
    @Order(1)
    SecurityFilterChain adminSecurityFilterChain(HttpSecurity http) throws Exception {
        AuthenticationEntryPoint unauthorized = ProblemResponses.unauthorized();
        RequestMatcher publicEndpoints = EndpointRequest.to("health", "info", "metrics", "prometheus");
        RequestMatcher privateEndpoints =
                new AndRequestMatcher(EndpointRequest.toAnyEndpoint(), new NegatedRequestMatcher(publicEndpoints));
        return http.securityMatcher(new OrRequestMatcher(
                        PathPatternRequestMatcher.withDefaults().matcher("/api/admin/**"), privateEndpoints))
                .authorizeHttpRequests(requests -> requests.requestMatchers(privateEndpoints)
                        .denyAll()
                        .anyRequest()
                        .authenticated())
                .addFilterBefore(new CrossSiteAdminRequests(), BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(ProblemResponses.forbidden()))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /**
     * Everything else: no authentication and no authorization, so only the filters that write the protective
     * response headers, and the few Spring Security always adds, run on each of these requests (the services' hot
     * path: every order is placed through here). Without exception translation, method security on a public
     * controller (none has any) would answer 500 rather than 403.
     */
    @Bean
    @Order(2)
    SecurityFilterChain publicSecurityFilterChain(HttpSecurity http) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                .sessionManagement(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .exceptionHandling(AbstractHttpConfigurer::disable)
                .build();
    }

    /**
     * No observation of Spring Security's own, in either chain: no span or timer per filter, and no decorator around
     * every filter of every request that would create one (http.server.requests already times each request). An
     * application that wants them declares a {@link SecurityObservationSettings} bean of its own.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @ConditionalOnMissingBean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, ex) -> ProblemResponses.write(
                request,
                response,
                HttpStatus.BAD_REQUEST,
                "The request's URL is not accepted: " + ex.getMessage(),
                Map.of());
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

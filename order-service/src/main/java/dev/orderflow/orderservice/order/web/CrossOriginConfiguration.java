package dev.orderflow.orderservice.order.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets the configured pages place and read orders from a browser: a preflight from any other origin is
 * refused (403), and the browser withholds the answer of a simple request from it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CorsProperties.class)
class CrossOriginConfiguration implements WebMvcConfigurer {

    private final CorsProperties settings;

    CrossOriginConfiguration(CorsProperties settings) {
        this.settings = settings;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/api/orders/**")
                .allowedOriginPatterns(settings.allowedOrigins().toArray(String[]::new))
                .allowedMethods("GET", "POST")
                .allowedHeaders("Content-Type", "Idempotency-Key")
                // A placed order's address, for a page that follows it.
                .exposedHeaders("Location");
    }
}

package dev.orderflow.orderservice.order.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which web pages may call the orders API from a browser, under {@code orders.cors}.
 *
 * @param allowedOrigins origins such as {@code http://localhost:8082} (notification-service's page, which
 *     places demo orders), or patterns such as {@code http://localhost:[*]} (any port)
 */
@ConfigurationProperties("orders.cors")
record CorsProperties(@DefaultValue("http://localhost:8082") List<String> allowedOrigins) {}

package dev.orderflow.notificationservice.page;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the page at {@code /}, under {@code notifications}.
 *
 * @param orderServiceUrl where the page's browser reaches order-service to place demo orders; order-service
 *     must allow this service's origin ({@code orders.cors.allowed-origins})
 */
@ConfigurationProperties("notifications")
record PageProperties(@DefaultValue("http://localhost:8080") URI orderServiceUrl) {}

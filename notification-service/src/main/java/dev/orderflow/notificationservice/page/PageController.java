package dev.orderflow.notificationservice.page;

import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the page at {@code /} (static {@code index.html}, {@code app.js}, {@code style.css}) needs to know
 * of the service's configuration.
 */
@RestController
@EnableConfigurationProperties(PageProperties.class)
class PageController {

    private final PageProperties settings;

    PageController(PageProperties settings) {
        this.settings = settings;
    }

    @GetMapping("/config.json")
    ResponseEntity<Map<String, String>> config() {
        String orderService = settings.orderServiceUrl().toString().replaceAll("/+$", "");
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(Map.of("orderServiceUrl", orderService));
    }
}

package dev.orderflow.notificationservice;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Tells customers what happened to their orders. Configuration: {@code notification-service.yml}. */
@SpringBootApplication
public class NotificationServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as {@code main} starts it; see {@code OrderServiceApplication#application()}. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(NotificationServiceApplication.class)
                .properties(Map.of("spring.config.name", "notification-service"));
    }
}

package dev.orderflow.orderservice;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Takes orders over REST and runs their lifecycle. Configuration: {@code order-service.yml}. */
@SpringBootApplication
public class OrderServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The application as {@code main} starts it. Its configuration file is named after the service, so
     * that the three services can also run side by side in one JVM (the system tests do).
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(OrderServiceApplication.class)
                .properties(Map.of("spring.config.name", "order-service"));
    }
}

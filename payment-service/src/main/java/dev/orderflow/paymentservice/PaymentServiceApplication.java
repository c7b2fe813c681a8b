package dev.orderflow.paymentservice;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Decides payments for placed orders against each customer's credit. Configuration: {@code payment-service.yml}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PaymentServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as {@code main} starts it; see {@code OrderServiceApplication#application()}. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(PaymentServiceApplication.class)
                .properties(Map.of("spring.config.name", "payment-service"));
    }
}

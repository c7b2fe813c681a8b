package dev.orderflow.systemtests;

import dev.orderflow.notificationservice.NotificationServiceApplication;
import dev.orderflow.orderservice.OrderServiceApplication;
import dev.orderflow.paymentservice.PaymentServiceApplication;
import dev.orderflow.testsupport.Database;
import dev.orderflow.testsupport.TcpProxy;
import dev.orderflow.testsupport.TestInfrastructure;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three services running together, each in its own application context with its own database, on
 * one broker: started once per JVM, as a user would start the three jars, through the standard
 * properties of the contract.
 */
final class Suite {

    private static Suite running;

    /** The spans every service of the suite has finished (OpenTelemetry SDK, in memory). */
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    final String kafka;
    /** Between order-service and its database, so that a test can cut it as an outage would. */
    final TcpProxy ordersDatabase;

    final Service orders;
    final Service payments;
    final Service notifications;

    record Service(ConfigurableApplicationContext context, String baseUrl) {}

    private Suite() {
        kafka = TestInfrastructure.kafkaBootstrapServers();
        Database ordersDb = TestInfrastructure.newDatabase("orders");
        URI ordersUrl = URI.create(ordersDb.url().substring("jdbc:".length()));
        ordersDatabase = TcpProxy.start("orders-db", ordersUrl.getHost(), ordersUrl.getPort());
        Map<String, String> ordersSettings = new HashMap<>(ordersDb.springProperties());
        ordersSettings.put(
                "spring.datasource.url", "jdbc:postgresql://" + ordersDatabase.address() + ordersUrl.getPath());
        // The notification page (on a port not known yet) places demo orders from the browser.
        ordersSettings.put("orders.cors.allowed-origins", "http://localhost:[*]");
        orders = start(OrderServiceApplication.application(), null, ordersSettings);
        payments = start(PaymentServiceApplication.application(), "payments", Map.of());
        notifications = start(
                NotificationServiceApplication.application(),
                "notifications",
                Map.of("notifications.order-service-url", orders.baseUrl()));
    }

    static synchronized Suite get() {
        if (running == null) {
            running = new Suite();
        }
        return running;
    }

    /** With a new database of that name, or none when the settings name one. */
    private Service start(SpringApplicationBuilder application, String database, Map<String, String> settings) {
        Map<String, Object> properties = new HashMap<>();
        if (database != null) {
            properties.putAll(TestInfrastructure.newDatabase(database).springProperties());
        }
        properties.put("server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", kafka);
        // Spans reach SPANS within a fifth of a second; the broker's view of consumer lag is read at most every
        // second. The defaults are slower for a real suite.
        properties.put("management.opentelemetry.tracing.export.schedule-delay", "200ms");
        // Every order traced, as with an OTLP endpoint: the spans go to SPANS.
        properties.put("management.tracing.sampling.probability", "1.0");
        properties.put("orderflow.messaging.lag.refresh", "1s");
        properties.putAll(settings);
        // As command-line arguments, these outrank the service's own configuration file, as environment
        // variables do for a jar.
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = application
                .registerShutdownHook(false)
                .initializers(initializing -> initializing.getBeanFactory().registerSingleton("testSpans", SPANS))
                .run(args);
        TestInfrastructure.closeBeforeInfrastructure(context);
        String port = context.getEnvironment().getRequiredProperty("local.server.port");
        return new Service(context, "http://localhost:" + port);
    }
}

package dev.orderflow.platform.deadletter;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentEvent;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.EventHandler;
import dev.orderflow.platform.messaging.IdempotentConsumer;
import dev.orderflow.platform.messaging.UnprocessableEventException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service with the platform and little else: it consumes payment-events through a handler whose
 * failures the tests control, and has one public endpoint. Run with the profile {@code dead-letters}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({DeadLetterTestApplication.PaymentEventsTestHandler.class, DeadLetterTestApplication.EchoController.class})
public class DeadLetterTestApplication {

    /**
     * Consumes payment-events as a service's listener does; counts the applications of each event and fails for
     * the orders the test blocks.
     */
    public static class PaymentEventsTestHandler implements EventHandler<PaymentEvent> {

        private static final Logger log = LoggerFactory.getLogger(PaymentEventsTestHandler.class);

        private final Set<UUID> blockedOrders = ConcurrentHashMap.newKeySet();
        private final Set<UUID> fatalOrders = ConcurrentHashMap.newKeySet();
        private final Map<UUID, Integer> applications = new ConcurrentHashMap<>();
        private final IdempotentConsumer consumer;

        PaymentEventsTestHandler(IdempotentConsumer consumer) {
            this.consumer = consumer;
        }

        @KafkaListener(id = Topics.PAYMENT_EVENTS, idIsGroup = false, topics = Topics.PAYMENT_EVENTS, batch = "true")
        void receive(List<ConsumerRecord<String, byte[]>> records) {
            consumer.consume(records, this);
        }

        @Override
        public Class<PaymentEvent> family() {
            return PaymentEvent.class;
        }

        @Override
        public void apply(List<PaymentEvent> events) {
            for (PaymentEvent event : events) {
                log.info("Applying {}", event.type());
                if (fatalOrders.contains(event.orderId())) {
                    // as the JVM throws OutOfMemoryError: no Exception, which no error handler sees
                    throw new FatalListenerError("order " + event.orderId() + " is fatal");
                }
                if (blockedOrders.contains(event.orderId())) {
                    throw new UnprocessableEventException("order " + event.orderId() + " is blocked");
                }
                // Counted after the platform's transaction commits: a rolled-back batch applied nothing.
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        applications.merge(event.eventId(), 1, Integer::sum);
                    }
                });
            }
        }

        void block(UUID orderId) {
            blockedOrders.add(orderId);
        }

        /** Its events will throw an {@link Error} in the listener. */
        void failFatally(UUID orderId) {
            fatalOrders.add(orderId);
        }

        void unblock(UUID orderId) {
            blockedOrders.remove(orderId);
        }

        /** How often the event's effect was applied. */
        int applications(UUID eventId) {
            return applications.getOrDefault(eventId, 0);
        }
    }

    /** A payment event of a new order of {@code customer}, as payment-service publishes it. */
    static PaymentAuthorized authorized(String customer) {
        return new PaymentAuthorized(
                UUID.randomUUID(),
                Instant.now(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                customer,
                new BigDecimal("25.00"),
                "EUR");
    }

    /** An {@link Error} that a listener throws, as the JVM throws an {@link OutOfMemoryError} or a {@link StackOverflowError}. */
    static class FatalListenerError extends Error {
        FatalListenerError(String message) {
            super(message);
        }
    }

    /** A public endpoint that changes something, as {@code POST /api/orders} does. */
    @RestController
    static class EchoController {

        private static final Logger log = LoggerFactory.getLogger(EchoController.class);

        /** Names a customer in its path and an order in its query, as the services' endpoints do; logs a line. */
        @GetMapping(path = "/api/customers/{customerId}/echo", produces = MediaType.TEXT_PLAIN_VALUE)
        String echoCustomer(@PathVariable String customerId, @RequestParam String orderId) {
            log.info("Echoing");
            return customerId;
        }

        @PostMapping(path = "/api/echo", produces = MediaType.TEXT_PLAIN_VALUE)
        String echo(@RequestBody String body) {
            return body;
        }
    }
}

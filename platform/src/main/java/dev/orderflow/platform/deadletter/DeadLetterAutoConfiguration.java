package dev.orderflow.platform.deadletter;

import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.platform.messaging.EventHandler;
import dev.orderflow.platform.messaging.IdempotentConsumer;
import dev.orderflow.platform.messaging.MessagingAutoConfiguration;
import dev.orderflow.platform.messaging.MessagingAutoConfiguration.ServiceName;
import dev.orderflow.platform.messaging.MessagingProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Dead letters made visible and actionable in every consuming service: each of its dead-letter topics
 * is read into the {@code dead_letter} table, the admin API lists, replays and discards them, and the
 * gauge {@code dead_letters.pending} counts those waiting.
 */
@AutoConfiguration(after = MessagingAutoConfiguration.class)
public class DeadLetterAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterAutoConfiguration.class);

    @Bean
    DeadLetterStore deadLetterStore(JdbcClient jdbc) {
        return new DeadLetterStore(jdbc);
    }

    /** Only in a service that consumes something: it reads the dead-letter topics of what it consumes. */
    @Bean
    @ConditionalOnBean(EventHandler.class)
    DeadLetterRecorder deadLetterRecorder(
            DeadLetterStore store, ServiceName serviceName, ObjectProvider<EventHandler<?>> handlers) {
        return new DeadLetterRecorder(store, serviceName.value(), handlers);
    }

    @Bean
    DeadLetterManagement deadLetterManagement(
            DeadLetterStore store, IdempotentConsumer consumer, PlatformTransactionManager transactionManager) {
        return new DeadLetterManagement(store, consumer, new TransactionTemplate(transactionManager));
    }

    /**
     * Reads the dead-letter topics in a consumer group of their own ({@code <service>.dead-letters}), so
     * that they never hold up or rebalance the service's consumers. A record that cannot be stored is
     * never dead-lettered in turn: an unavailable database is waited out without limit, anything else is
     * tried a few times, logged and skipped (the record stays on the topic). {@link DeadLetterRecorder}'s
     * {@code @KafkaListener} uses it.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> deadLetterListenerContainerFactory(
            ObjectProvider<ConcurrentKafkaListenerContainerFactoryConfigurer> configurer,
            ConsumerFactory<Object, Object> consumerFactory,
            MessagingProperties properties) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        configurer.ifAvailable(c -> c.configure(factory, consumerFactory));
        factory.setConsumerFactory(consumerFactory);
        MessagingProperties.Retry retry = properties.retry();
        ExponentialBackOff unlimited =
                new ExponentialBackOff(retry.initialInterval().toMillis(), 2.0);
        unlimited.setMaxInterval(retry.maxInterval().toMillis());
        DefaultErrorHandler errorHandler = new DefaultErrorHandler(
                (record, ex) -> log.error(
                        "Could not record the dead letter {}-{}@{}; skipped, it stays on the topic",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        ex),
                unlimited);
        errorHandler.setBackOffFunction((record, ex) -> DeadLetters.isTransient(ex)
                ? null
                : new FixedBackOff(retry.initialInterval().toMillis(), retry.maxAttempts() - 1));
        factory.setCommonErrorHandler(errorHandler);
        return factory;
    }

    @Bean
    MeterBinder deadLetterDepth(DeadLetterStore store) {
        return registry -> Gauge.builder("dead_letters.pending", store, DeadLetterStore::pending)
                .description("Dead letters of this service waiting for a replay or a discard")
                .strongReference(true)
                .register(registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    static class AdminApi {

        @Bean
        DeadLetterController deadLetterController(DeadLetterManagement deadLetters) {
            return new DeadLetterController(deadLetters);
        }
    }
}

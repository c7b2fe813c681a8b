package dev.orderflow.platform.messaging;

import dev.orderflow.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The messaging plumbing of a service: outbox and relay, the message log and the {@link IdempotentConsumer} that
 * a service's {@code @KafkaListener}s hand their batches to, dead-letter routing, and the topics. Kafka's
 * clients, templates and listener containers are Spring Boot's, configured with {@code spring.kafka.*} (the
 * platform's defaults are in {@code orderflow-defaults.yml}); the settings below that a guarantee depends on
 * are enforced whatever the configuration says.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

    @Bean
    ServiceName serviceName(MessagingProperties properties, Environment environment) {
        String name = properties.serviceName() != null
                ? properties.serviceName()
                : environment.getRequiredProperty("spring.application.name");
        return new ServiceName(name);
    }

    /** Events are held to the API's bounds as they are decoded, by the application's validator. */
    @Bean
    EventCodec eventCodec(ObjectProvider<Validator> validator) {
        return validator.stream().findFirst().map(EventCodec::new).orElseGet(EventCodec::new);
    }

    /**
     * A record is acknowledged only once all in-sync replicas have it, and retries never duplicate or reorder
     * it within a partition; keys are aggregate ids and values the codec's JSON. Records as large as the largest
     * dead letter are let through (the broker still holds every other topic to its own limit).
     */
    @Bean
    DefaultKafkaProducerFactoryCustomizer guaranteedDelivery(MessagingProperties properties) {
        return factory -> factory.updateConfigs(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Math.max(maxRequestSize(factory.getConfigurationProperties()), (int)
                        properties.deadLetterMaxSize().toBytes()),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    private static int maxRequestSize(Map<String, Object> configs) {
        Object configured = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return configured == null ? 1024 * 1024 : Integer.parseInt(configured.toString());
    }

    /** Offsets are committed by the listener container, after the transaction of their batch has committed. */
    @Bean
    DefaultKafkaConsumerFactoryCustomizer offsetsAfterCommit() {
        return factory -> factory.updateConfigs(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** Spring Boot's listener container factory takes it: failed records are retried or dead-lettered. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(
            KafkaTemplate<String, byte[]> template, ServiceName serviceName, MessagingProperties properties) {
        return DeadLetters.errorHandler(template, serviceName.value(), properties.retry(), (int)
                properties.deadLetterMaxSize().toBytes());
    }

    /** Traces follow events through the outbox and Kafka when a tracer is there (Micrometer Tracing). */
    @Bean
    MessageTracing messageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new MessageTracing(tracer.getIfAvailable(), propagator.getIfAvailable());
    }

    @Bean
    IdempotentConsumer idempotentConsumer(
            EventCodec codec,
            ProcessedEvents processedEvents,
            Outbox outbox,
            PlatformTransactionManager transactionManager,
            ObjectProvider<EventHandler<?>> handlers,
            MessageTracing tracing,
            ServiceName serviceName) {
        return new IdempotentConsumer(
                codec,
                processedEvents,
                outbox,
                new TransactionTemplate(transactionManager),
                handlers,
                tracing,
                serviceName.value());
    }

    /**
     * Every topic of the suite, and the dead-letter topic of each this service consumes, all with the same
     * partitions and replication. Any service may be the first to start, and a topic must exist with its partitions
     * and replicas before anyone produces to it or consumes it.
     */
    @Bean
    ServiceTopics serviceTopics(
            KafkaAdmin kafkaAdmin,
            MessagingProperties properties,
            ServiceName serviceName,
            ObjectProvider<EventHandler<?>> handlers) {
        Set<String> deadLetters = handlers.orderedStream()
                .map(handler -> Topics.deadLetter(handler.topic(), serviceName.value()))
                .collect(Collectors.toSet());
        return new ServiceTopics(kafkaAdmin, List.copyOf(topics(serviceName, handlers)), deadLetters, properties);
    }

    private static Set<String> topics(ServiceName serviceName, ObjectProvider<EventHandler<?>> handlers) {
        Set<String> names = new LinkedHashSet<>(Topics.all());
        handlers.orderedStream().forEach(handler -> names.add(Topics.deadLetter(handler.topic(), serviceName.value())));
        return names;
    }

    @Bean
    OutboxRelay outboxRelay(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            KafkaTemplate<String, byte[]> template,
            MessagingProperties properties,
            ObjectProvider<MeterRegistry> meters,
            MessageTracing tracing,
            ObjectProvider<ServiceTopics> serviceTopics) {
        // The topics are looked up when first needed: they are named after the handlers, which need the relay.
        return new OutboxRelay(
                jdbc,
                new TransactionTemplate(transactionManager),
                template,
                properties.relay(),
                meters.getIfAvailable(() -> Metrics.globalRegistry),
                tracing,
                () -> serviceTopics.getObject().create());
    }

    @Bean
    Outbox outbox(JdbcClient jdbc, EventCodec codec, MessageTracing tracing, OutboxRelay relay) {
        return new Outbox(jdbc, codec, tracing, relay::wakeUp);
    }

    @Bean
    ProcessedEvents processedEvents(JdbcClient jdbc, ObjectProvider<MeterRegistry> meters) {
        return new ProcessedEvents(jdbc, meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    OutboxBacklog outboxBacklog(JdbcClient jdbc) {
        return new OutboxBacklog(jdbc);
    }

    /** The lag of the consumer groups on the topics this service creates: those it publishes and consumes. */
    @Bean
    ConsumerLag consumerLag(
            KafkaAdmin kafkaAdmin,
            MessagingProperties properties,
            ServiceName serviceName,
            ObjectProvider<EventHandler<?>> handlers) {
        return new ConsumerLag(
                kafkaAdmin.getConfigurationProperties(),
                topics(serviceName, handlers),
                properties.lag(),
                serviceName.value(),
                Clock.systemUTC());
    }

    @Bean("kafka")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        return new KafkaHealthIndicator(kafkaAdmin);
    }

    /** {@code consumers} in the health: DOWN while a listener container has stopped other than normally. */
    @Bean("consumers")
    ListenerContainersHealthIndicator consumersHealthIndicator(KafkaListenerEndpointRegistry registry) {
        return new ListenerContainersHealthIndicator(registry);
    }

    /** The message log forgets an id once no topic this service consumes can deliver its event again. */
    @Bean
    Pruner processedEventsPruner(
            JdbcClient jdbc,
            MessagingProperties properties,
            KafkaAdmin kafkaAdmin,
            ObjectProvider<EventHandler<?>> handlers) {
        MessagingProperties.ProcessedEvents settings = properties.processedEvents();
        TopicRetention retention = new TopicRetention(kafkaAdmin);
        return new Pruner(
                "processed_event",
                "processed_at",
                jdbc,
                settings.pruneInterval(),
                settings.batchSize(),
                () -> retention
                        .readable(handlers.orderedStream()
                                .map(EventHandler::topic)
                                .distinct()
                                .toList())
                        .map(readable -> readable.compareTo(settings.keep()) > 0 ? readable : settings.keep()));
    }

    /** The name this service goes by in consumer groups and dead-letter topics. */
    public record ServiceName(String value) {}
}

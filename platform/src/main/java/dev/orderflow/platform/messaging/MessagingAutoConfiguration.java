package dev.orderflow.platform.messaging;

import dev.orderflow.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListenerConfigurer;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The messaging plumbing of a service: outbox and relay, processed-event guard, a listener container per
 * consumed topic that hands records to the service's {@link EventHandler}, dead-letter routing, topics, and
 * the Kafka client settings the guarantees depend on. The standard {@code spring.kafka.*}
 * properties still apply; the settings below that a guarantee needs cannot be overridden.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

    @Bean
    ServiceName serviceName(MessagingProperties properties, Environment environment) {
        String name = properties.serviceName() != null
                ? properties.serviceName()
                : environment.getRequiredProperty("spring.application.name");
        return new ServiceName(name);
    }

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    ProducerFactory<String, byte[]> kafkaProducerFactory(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildProducerProperties();
        // Guarantees: a record is acknowledged only once all in-sync replicas have it, retries never
        // duplicate or reorder it within a partition.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Defaults: the relay sends a batch at once and waits for it, so lingering only adds latency;
        // a broker that is away fails a batch within seconds and the relay tries it again.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000);
        return new DefaultKafkaProducerFactory<>(config);
    }

    @Bean
    KafkaTemplate<String, byte[]> kafkaTemplate(ProducerFactory<String, byte[]> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    ConsumerFactory<Object, Object> kafkaConsumerFactory(KafkaProperties kafka, ServiceName serviceName) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        // Offsets are committed by the listener container after the record's transaction has committed.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, serviceName.value());
        // A new consumer group reads a topic from its start: nothing published before it existed is lost.
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Topics are created by the services with their partition count, never implicitly by a consumer.
        config.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new DefaultKafkaConsumerFactory<>(config);
    }

    @Bean
    KafkaAdmin kafkaAdmin(KafkaProperties kafka) {
        KafkaProperties.Admin settings = kafka.getAdmin();
        KafkaAdmin admin = new KafkaAdmin(kafka.buildAdminProperties());
        admin.setFatalIfBrokerNotAvailable(settings.isFailFast());
        admin.setModifyTopicConfigs(settings.isModifyTopicConfigs());
        admin.setAutoCreate(settings.isAutoCreate());
        // A broker that is away must hold up neither start-up nor the relay for long: the relay creates the
        // topics again before its first publication. Spring Kafka's defaults are 30 s and 10 s.
        admin.setOperationTimeout(seconds(settings.getOperationTimeout(), 5));
        admin.setCloseTimeout(seconds(settings.getCloseTimeout(), 1));
        return admin;
    }

    private static int seconds(Duration configured, int otherwise) {
        return configured != null ? (int) Math.max(1, configured.toSeconds()) : otherwise;
    }

    @Bean
    DefaultErrorHandler kafkaErrorHandler(
            KafkaTemplate<String, byte[]> template, ServiceName serviceName, MessagingProperties properties) {
        return DeadLetters.errorHandler(template, serviceName.value(), properties.retry());
    }

    @Bean
    EventDispatcher eventDispatcher(
            EventCodec codec,
            ProcessedEvents processedEvents,
            PlatformTransactionManager transactionManager,
            ObjectProvider<EventHandler<?>> handlers,
            MessagingProperties properties) {
        return new EventDispatcher(
                codec,
                processedEvents,
                new TransactionTemplate(transactionManager),
                handlers.orderedStream().toList(),
                properties.consumes());
    }

    /**
     * A batch listener container per topic with an {@link EventHandler}: group {@code <service>}, Spring
     * Boot's container factory, and with it the dead-letter routing of {@link #kafkaErrorHandler}.
     */
    @Bean
    KafkaListenerConfigurer eventListeners(EventDispatcher dispatcher) {
        BatchMessageListener<String, byte[]> listener = dispatcher::dispatchBatch;
        return registrar -> dispatcher
                .topics()
                .forEach(topic -> registrar.registerEndpoint(new TopicListenerEndpoint(topic, null, topic, listener)));
    }

    @Bean
    KafkaAdmin.NewTopics serviceTopics(MessagingProperties properties, ServiceName serviceName) {
        Set<String> names = new LinkedHashSet<>(properties.publishes());
        names.addAll(properties.consumes());
        properties.consumes().forEach(topic -> names.add(Topics.deadLetter(topic, serviceName.value())));
        List<NewTopic> topics = new ArrayList<>();
        names.forEach(name -> topics.add(
                TopicBuilder.name(name).partitions(properties.partitions()).build()));
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Bean
    OutboxRelay outboxRelay(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            KafkaTemplate<String, byte[]> template,
            MessagingProperties properties,
            ObjectProvider<MeterRegistry> meters,
            KafkaAdmin kafkaAdmin) {
        return new OutboxRelay(
                jdbc,
                new TransactionTemplate(transactionManager),
                template,
                properties.relay(),
                meters.getIfAvailable(() -> Metrics.globalRegistry),
                kafkaAdmin::initialize);
    }

    @Bean
    Outbox outbox(JdbcTemplate jdbc, EventCodec codec, OutboxRelay relay) {
        return new Outbox(jdbc, codec, relay::wakeUp);
    }

    @Bean
    ProcessedEvents processedEvents(JdbcClient jdbc, ObjectProvider<MeterRegistry> meters) {
        return new ProcessedEvents(jdbc, meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean("kafka")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        return new KafkaHealthIndicator(kafkaAdmin);
    }

    /** The name this service goes by in consumer groups and dead-letter topics. */
    public record ServiceName(String value) {}
}

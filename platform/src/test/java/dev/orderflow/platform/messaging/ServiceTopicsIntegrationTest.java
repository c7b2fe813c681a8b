package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.MessagingProperties.Replication;
import dev.orderflow.testsupport.RealInfrastructure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics a service creates get the configured partitions, replicas and {@code min.insync.replicas} on a real
 * broker, its dead-letter topics too. The test broker has one node, so one replica is all it can hold; which
 * replication a larger cluster gets is {@link TopicReplicationUnitTest}'s.
 */
@SpringBootTest(
        classes = {MessagingTestApplication.class, ServiceTopicsIntegrationTest.OrderEventsHandler.class},
        properties = {
            "orderflow.messaging.service-name=" + ServiceTopicsIntegrationTest.SERVICE,
            "orderflow.messaging.replication.factor=1",
            "orderflow.messaging.replication.min-insync-replicas=1"
        })
@RealInfrastructure
class ServiceTopicsIntegrationTest {

    /** A name of its own, so that its dead-letter topic is created by this test's context and no other. */
    static final String SERVICE = "topic-settings-test";

    private static final String DEAD_LETTERS = Topics.deadLetter(Topics.ORDER_EVENTS, SERVICE);

    @Autowired
    ServiceTopics serviceTopics;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Autowired
    MessagingProperties properties;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    Admin admin;

    @BeforeEach
    void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void createsTheSuitesTopicsAndItsDeadLetterTopicsWithTheConfiguredSettings() throws Exception {
        assertThat(serviceTopics.names()).containsExactly(Topics.ORDER_EVENTS, Topics.PAYMENT_EVENTS, DEAD_LETTERS);

        Map<String, TopicDescription> topics =
                admin.describeTopics(serviceTopics.names()).allTopicNames().get();
        assertThat(topics).containsOnlyKeys(serviceTopics.names());
        topics.values().forEach(topic -> {
            assertThat(topic.partitions()).as(topic.name()).hasSize(properties.partitions());
            topic.partitions()
                    .forEach(partition ->
                            assertThat(partition.replicas()).as(topic.name()).hasSize(1));
        });
        // Set on each topic by the service that created it, not inherited from the broker's default.
        for (String name : serviceTopics.names()) {
            assertThat(minInsyncReplicas(name).value()).as(name).isEqualTo("1");
            assertThat(minInsyncReplicas(name).source())
                    .as(name)
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }

    @Test
    void leavesATopicUncreatedRatherThanGiveItFewerReplicasThanConfigured() throws Exception {
        String name = "replication-test-" + UUID.randomUUID();
        ServiceTopics threeReplicas = new ServiceTopics(
                kafkaAdmin,
                List.of(name),
                Set.of(),
                new MessagingProperties(
                        properties.serviceName(),
                        properties.partitions(),
                        new Replication(3, 2),
                        properties.relay(),
                        properties.retry(),
                        properties.lag(),
                        properties.deadLetterMaxSize(),
                        properties.processedEvents()));

        assertThat(threeReplicas.create()).isFalse();
        assertThat(admin.listTopics().names().get()).doesNotContain(name);
    }

    private ConfigEntry minInsyncReplicas(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        return config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    }

    /** Consumes order-events, so that the service has a dead-letter topic of its own. */
    static class OrderEventsHandler implements EventHandler<OrderEvent> {

        @Override
        public Class<OrderEvent> family() {
            return OrderEvent.class;
        }

        @Override
        public void apply(List<OrderEvent> events) {}
    }
}

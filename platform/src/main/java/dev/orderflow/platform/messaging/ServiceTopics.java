package dev.orderflow.platform.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the topics a service needs, with the configured partitions and the replication decided for the cluster
 * at hand ({@link TopicReplication}): at start-up, before the listener containers start, and otherwise before the
 * relay first publishes (a service may start while Kafka is away). The replication depends on how many brokers the
 * cluster reports at that moment, so it is decided then rather than when the application context is built.
 *
 * <p>A topic that exists is left as it is, but for partitions, which Spring Kafka's {@link KafkaAdmin} adds up to
 * the configured count; its replication and configuration are never changed.
 */
public class ServiceTopics implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ServiceTopics.class);

    private final KafkaAdmin kafkaAdmin;
    private final List<String> names;
    private final Set<String> deadLetters;
    private final MessagingProperties properties;

    /**
     * @param names every topic, in the order they are created
     * @param deadLetters those of them that are dead-letter topics: they take a record at the broker's limit with
     *     the failure's headers ({@link MessagingProperties#deadLetterMaxSize()})
     */
    public ServiceTopics(
            KafkaAdmin kafkaAdmin, List<String> names, Set<String> deadLetters, MessagingProperties properties) {
        this.kafkaAdmin = kafkaAdmin;
        this.names = List.copyOf(names);
        this.deadLetters = Set.copyOf(deadLetters);
        this.properties = properties;
    }

    /** The names of the topics, in the order they are created. */
    public List<String> names() {
        return names;
    }

    @Override
    public void afterSingletonsInstantiated() {
        create();
    }

    /**
     * Creates those of the topics that do not exist; returns whether they all exist now. A failure is logged, not
     * thrown: the relay asks again before it publishes.
     */
    public boolean create() {
        try {
            int brokers = brokers();
            TopicReplication replication = TopicReplication.decide(properties.replication(), brokers);
            kafkaAdmin.createOrModifyTopics(
                    names.stream().map(name -> topic(name, replication)).toArray(NewTopic[]::new));
            log.info(
                    "Topics {} exist; any created now got {} partitions, {} replica(s) and min.insync.replicas {}"
                            + " (the cluster reports {} broker(s))",
                    names,
                    properties.partitions(),
                    replication.factor(),
                    replication.minInsyncReplicas(),
                    brokers);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            log.error(
                    "Could not create the topics {}: Kafka did not answer within {} s",
                    names,
                    kafkaAdmin.getOperationTimeout());
            return false;
        } catch (Exception e) {
            // KafkaAdmin wraps what the broker said (InvalidReplicationFactorException, say) in a generic message.
            log.error(
                    "Could not create the topics {}: {}",
                    names,
                    NestedExceptionUtils.getMostSpecificCause(e).toString());
            return false;
        }
    }

    private NewTopic topic(String name, TopicReplication replication) {
        TopicBuilder topic = TopicBuilder.name(name)
                .partitions(properties.partitions())
                .replicas(replication.factor())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(replication.minInsyncReplicas()));
        if (deadLetters.contains(name)) {
            topic.config(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    String.valueOf(properties.deadLetterMaxSize().toBytes()));
        }
        return topic.build();
    }

    /** How many brokers the cluster reports, within the admin's operation timeout. */
    private int brokers() throws InterruptedException, ExecutionException, TimeoutException {
        int timeoutMs = (int) TimeUnit.SECONDS.toMillis(kafkaAdmin.getOperationTimeout());
        Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes()
                    .get(timeoutMs, TimeUnit.MILLISECONDS)
                    .size();
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }
}

package dev.orderflow.platform.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * How long a record can stay readable on the topics a service consumes, as the broker reports it: the longest
 * {@code retention.ms} plus {@code segment.ms} (a segment is deleted only once its newest record is past retention,
 * and the active segment rolls at {@code segment.ms}). Empty when the broker cannot be asked or a topic keeps its
 * records for ever.
 */
class TopicRetention {

    private static final Logger log = LoggerFactory.getLogger(TopicRetention.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaAdmin kafkaAdmin;

    TopicRetention(KafkaAdmin kafkaAdmin) {
        this.kafkaAdmin = kafkaAdmin;
    }

    Optional<Duration> readable(Collection<String> topics) {
        if (topics.isEmpty()) {
            return Optional.of(Duration.ZERO);
        }
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .toList();
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long longest = 0;
            for (Config config : configs.values()) {
                long retention = Long.parseLong(
                        config.get(TopicConfig.RETENTION_MS_CONFIG).value());
                long segment =
                        Long.parseLong(config.get(TopicConfig.SEGMENT_MS_CONFIG).value());
                if (retention < 0) {
                    return Optional.empty();
                }
                longest = Math.max(longest, retention + segment);
            }
            return Optional.of(Duration.ofMillis(longest));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Could not read the retention of {}: {}", topics, e.toString());
            return Optional.empty();
        }
    }
}

package dev.orderflow.platform.messaging;

import java.util.List;
import java.util.regex.Pattern;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.GenericMessageListener;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.MessageConverter;

/**
 * A listener container for one topic that hands its records to a plain function, one at a time
 * ({@link MessageListener}) or a polled batch at a time ({@link BatchMessageListener}), registered like a
 * {@code @KafkaListener} (same registry, container factory and lifecycle), without annotated methods.
 *
 * @param id the container's id in the {@code KafkaListenerEndpointRegistry}
 * @param groupId its consumer group; null for the consumer factory's ({@code <service>})
 */
public record TopicListenerEndpoint(String id, String groupId, String topic, GenericMessageListener<?> listener)
        implements KafkaListenerEndpoint {

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getGroupId() {
        return groupId;
    }

    @Override
    public String getGroup() {
        return null;
    }

    @Override
    public List<String> getTopics() {
        return List.of(topic);
    }

    @Override
    public TopicPartitionOffset[] getTopicPartitionsToAssign() {
        return new TopicPartitionOffset[0];
    }

    @Override
    public Pattern getTopicPattern() {
        return null;
    }

    @Override
    public String getClientIdPrefix() {
        return null;
    }

    @Override
    public Integer getConcurrency() {
        return null;
    }

    @Override
    public Boolean getAutoStartup() {
        return null;
    }

    @Override
    public void setupListenerContainer(MessageListenerContainer container, MessageConverter messageConverter) {
        container.setupMessageListener(listener);
    }

    @Override
    public Boolean getBatchListener() {
        return listener instanceof BatchMessageListener;
    }

    @Override
    public boolean isSplitIterables() {
        return false;
    }
}

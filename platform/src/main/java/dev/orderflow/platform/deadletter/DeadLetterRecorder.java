package dev.orderflow.platform.deadletter;

import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.platform.messaging.EventHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the records of this service's dead-letter topics into the {@code dead_letter} table: where they
 * came from (Spring Kafka's {@code kafka_dlt-original-*} headers), why ({@value DeadLetters#REASON_HEADER}),
 * and the source record itself (key, value, its own headers), for a replay. It reads them in a consumer group of
 * its own, {@code <service>.dead-letters}, with a container factory whose errors are never dead-lettered in turn
 * ({@code DeadLetterAutoConfiguration}).
 */
public class DeadLetterRecorder {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecorder.class);

    /** The headers the dead-letter publisher adds; the others are the source record's own. */
    private static final String PUBLISHER_HEADER_PREFIX = "kafka_dlt-";

    private final DeadLetterStore store;
    private final String serviceName;
    private final ObjectProvider<EventHandler<?>> handlers;
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param handlers the service's handlers: the dead-letter topics read are those of their topics */
    public DeadLetterRecorder(DeadLetterStore store, String serviceName, ObjectProvider<EventHandler<?>> handlers) {
        this.store = store;
        this.serviceName = serviceName;
        this.handlers = handlers;
    }

    /** {@code <topic>.<service>.dlt} of every topic this service consumes. */
    public String[] topics() {
        return handlers.orderedStream()
                .map(handler -> Topics.deadLetter(handler.topic(), serviceName))
                .distinct()
                .toArray(String[]::new);
    }

    public String group() {
        return serviceName + ".dead-letters";
    }

    @KafkaListener(
            id = "dead-letters",
            idIsGroup = false,
            topics = "#{__listener.topics()}",
            groupId = "#{__listener.group()}",
            containerFactory = "deadLetterListenerContainerFactory",
            batch = "false")
    public void record(ConsumerRecord<String, byte[]> letter) {
        // A record put on the topic by other means than the publisher: it is its own origin.
        String topic = text(letter, KafkaHeaders.DLT_ORIGINAL_TOPIC).orElse(letter.topic());
        int partition = header(letter, KafkaHeaders.DLT_ORIGINAL_PARTITION)
                .filter(bytes -> bytes.length == Integer.BYTES)
                .map(bytes -> ByteBuffer.wrap(bytes).getInt())
                .orElse(letter.partition());
        long offset = header(letter, KafkaHeaders.DLT_ORIGINAL_OFFSET)
                .filter(bytes -> bytes.length == Long.BYTES)
                .map(bytes -> ByteBuffer.wrap(bytes).getLong())
                .orElse(letter.offset());
        String reason = text(letter, DeadLetters.REASON_HEADER)
                .or(() -> text(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .orElse("unknown (no reason header)");
        List<DeadLetter.Header> headers = new ArrayList<>();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith(PUBLISHER_HEADER_PREFIX)
                    && !header.key().equals(DeadLetters.REASON_HEADER)) {
                headers.add(new DeadLetter.Header(header.key(), header.value()));
            }
        }
        boolean changed = store.record(new DeadLetterStore.Arrival(
                topic,
                partition,
                offset,
                letter.key(),
                text(letter, EventCodec.TYPE_HEADER)
                        .or(() -> typeField(letter.value()))
                        .orElse(null),
                reason,
                letter.value(),
                headers,
                letter.timestamp() >= 0 ? Instant.ofEpochMilli(letter.timestamp()) : Instant.now(),
                letter.partition(),
                letter.offset()));
        if (changed) {
            log.debug("Recorded dead letter of {}-{}@{}: {}", topic, partition, offset, reason);
        }
    }

    /** The {@code type} field of a JSON object, if the value is one. */
    private Optional<String> typeField(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode object = json.readTree(value);
            return object != null && object.path("type").isString()
                    ? Optional.of(object.get("type").asString())
                    : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.ofNullable(header.value());
    }

    private static Optional<String> text(ConsumerRecord<?, ?> record, String name) {
        return header(record, name).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }
}

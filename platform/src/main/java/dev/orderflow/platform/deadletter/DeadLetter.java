package dev.orderflow.platform.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A record one of this service's consumers could not process, as stored from its dead-letter topic.
 *
 * @param key the record's key (the order id); null if it had none
 * @param eventType the event's type, from its header or its JSON; null when neither is readable
 * @param payload the record's value; null if it had none, or when not loaded (lists)
 * @param headers the source record's own headers, in their order
 * @param replayCount how often it was delivered again after its first failure: each replay, and each
 *     redelivery from Kafka that failed again
 */
public record DeadLetter(
        long id,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String key,
        String eventType,
        String reason,
        byte[] payload,
        List<Header> headers,
        Instant firstFailedAt,
        Instant lastFailedAt,
        int replayCount,
        DeadLetterStatus status,
        String discardReason) {

    /** One Kafka header: a name and raw bytes. */
    public record Header(String name, byte[] value) {}

    /** The source record again, as its consumer received it: topic, partition, offset, key, value, headers. */
    ConsumerRecord<String, byte[]> toRecord() {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach(header -> kafkaHeaders.add(header.name(), header.value()));
        return new ConsumerRecord<>(
                sourceTopic,
                sourcePartition,
                sourceOffset,
                ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE,
                ConsumerRecord.NULL_SIZE,
                key,
                payload,
                kafkaHeaders,
                Optional.empty());
    }
}

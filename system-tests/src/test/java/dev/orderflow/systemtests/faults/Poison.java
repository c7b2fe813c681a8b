package dev.orderflow.systemtests.faults;

import dev.orderflow.events.Topics;
import dev.orderflow.testsupport.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Records no consumer can ever process, of the three kinds the services meet. */
enum Poison {
    /** Bytes that are not JSON. */
    UNREADABLE("unreadable JSON"),
    /** Valid JSON of an event type nobody knows. */
    UNKNOWN_TYPE("unknown event type"),
    /** A known event type without the fields it needs. */
    MISSING_FIELDS("invalid ");

    /** What the dead letter's reason says for this kind. */
    final String reason;

    Poison(String reason) {
        this.reason = reason;
    }

    byte[] value(String topic, UUID orderId) {
        String known = topic.equals(Topics.ORDER_EVENTS) ? "OrderPlaced" : "PaymentAuthorized";
        String json = switch (this) {
            case UNREADABLE -> "\u0000\u00ff not json {";
            case UNKNOWN_TYPE ->
                "{\"type\": \"Teleported\", \"version\": 1, \"eventId\": \"%s\", \"orderId\": \"%s\"}"
                        .formatted(UUID.randomUUID(), orderId);
            case MISSING_FIELDS ->
                "{\"type\": \"%s\", \"version\": 1, \"eventId\": \"%s\", \"orderId\": \"%s\"}"
                        .formatted(known, UUID.randomUUID(), orderId);
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** One poison record on each partition of the topic, the kinds taking turns. */
    static List<ProducerRecord<String, byte[]>> onEveryPartition(String topic, int partitions) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            Poison kind = values()[p % values().length];
            UUID orderId = UUID.randomUUID();
            records.add(KafkaTestClient.onPartition(
                    new ProducerRecord<>(topic, orderId.toString(), kind.value(topic, orderId)), p));
        }
        return records;
    }

    static Poison ofValue(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        if (text.contains("Teleported")) {
            return UNKNOWN_TYPE;
        }
        return text.startsWith("{") ? MISSING_FIELDS : UNREADABLE;
    }
}

package dev.orderflow.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker the services use, seen without them: a plain producer with the services' guarantees
 * (acks=all, idempotent, no linger) sends open-loop to a bench topic with the services' partition count,
 * and a plain consumer reads it; each record carries its scheduled send time. The latency from that time
 * to the consumer is the floor of one hop of the order flow. Also reads the services' consumer lag.
 */
final class KafkaFloor implements AutoCloseable {

    /** About the size of an order event. */
    private static final int RECORD_BYTES = 400;

    private static final int PARTITIONS = 6;

    record Result(int rate, long sent, long received, Latency latency, String error) {}

    private final String bootstrap;
    private final Admin admin;

    KafkaFloor(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        this.admin = Admin.create(config);
    }

    boolean answers() {
        try {
            return !admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /**
     * Records the services' consumer groups have yet to read on the topics they consume, by group; empty if
     * the broker cannot be asked. Dead-letter topics are left out.
     */
    Map<String, Long> consumerLag() {
        Map<String, Long> lag = new TreeMap<>();
        try {
            for (GroupListing group : admin.listGroups(ListGroupsOptions.forConsumerGroups())
                    .all()
                    .get(5, TimeUnit.SECONDS)) {
                String id = group.groupId();
                if (id.startsWith("bench-") || id.endsWith(".dead-letters")) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(id)
                        .partitionsToOffsetAndMetadata()
                        .get(5, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().stream()
                        .filter(tp -> !tp.topic().endsWith(".dlt"))
                        .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                long behind = 0;
                for (var end : ends.entrySet()) {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    behind += Math.max(0, end.getValue().offset() - (at == null ? 0 : at.offset()));
                }
                lag.put(id, behind);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Map.of();
        }
        return lag;
    }

    String createTopic(String runId) throws Exception {
        String topic = "bench-floor-" + runId;
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        return topic;
    }

    void deleteTopic(String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.err.println("Could not delete the bench topic " + topic + ": " + e);
        }
    }

    /** Sends {@code rate} records a second for {@code duration}; waits up to {@code drain} for the last. */
    Result measure(String topic, int rate, Duration duration, Duration drain) {
        ConcurrentHistogram latency = Latency.histogram();
        AtomicLong received = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        AtomicBoolean consuming = new AtomicBoolean(true);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            // The first send waits for metadata; not part of any record's latency.
            producer.partitionsFor(topic);
            Thread reader = Thread.ofPlatform()
                    .name("bench-kafka-floor-consumer")
                    .start(() -> {
                        while (consuming.get()) {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                                long now = System.nanoTime();
                                long due = ByteBuffer.wrap(record.value()).getLong();
                                latency.recordValue(Latency.micros(now - due));
                                received.incrementAndGet();
                            }
                        }
                    });
            long sent = OpenLoop.run(rate, duration, due -> {
                byte[] value = new byte[RECORD_BYTES];
                ByteBuffer.wrap(value).putLong(due);
                producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), value), (meta, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        error.compareAndSet(null, e.toString());
                    }
                });
            });
            producer.flush();
            long deadline = System.nanoTime() + drain.toNanos();
            while (received.get() + failed.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            consuming.set(false);
            reader.join(5000);
            return new Result(rate, sent, received.get(), Latency.of(latency), error.get());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Result(rate, 0, received.get(), Latency.of(latency), e.toString());
        }
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    private Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // As the services' consumers: the broker answers a fetch as soon as one record is there.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        return config;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}

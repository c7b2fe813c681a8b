package dev.orderflow.platform.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Consumer lag as the broker sees it, per consumer group and partition: the records not consumed yet (the end offset
 * less the group's committed offset), as {@code consumer.lag}, and the age of the oldest of them, as
 * {@code consumer.lag.age} (seconds; 0 without lag). They come from the broker's offsets, not from a consumer's own
 * figures, so a consumer that has stopped, or whose process died, still shows its lag rising.
 *
 * <p>The groups are every consumer group with offsets committed on a topic this service publishes or consumes: each
 * group is seen by the services on both sides of its topics, so its lag shows while any of them runs (a dashboard
 * takes the maximum per group and partition). A group's partitions without a committed offset count from the
 * topic's start, as its consumers begin there; a group that has never committed an offset on a topic (a new one)
 * is not seen until it does.
 *
 * <p>Read when scraped, at most once per {@code refresh} (a few requests to the broker, and a fetch of one record
 * per partition that lags): an idle service that nobody scrapes does nothing for it. {@code consumer.lag.staleness}
 * says how old the figures are (seconds since the broker last answered; it rises while the broker is away).
 */
public class ConsumerLag implements MeterBinder, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);

    private final Map<String, Object> kafkaConfig;
    private final Set<String> topics;
    private final MessagingProperties.Lag settings;
    private final String clientId;
    private final Clock clock;
    private final ReentrantLock reading = new ReentrantLock();

    private volatile Map<Key, Figures> figures = Map.of();
    private volatile long readAt = -1;
    private volatile long attemptedAt;
    private boolean failing;
    /** The groups with offsets on a watched topic at the last reading (guarded by {@code reading}). */
    private final Set<String> known = new HashSet<>();

    private MultiGauge lagGauge;
    private MultiGauge ageGauge;
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> reader;

    /**
     * @param kafkaConfig the Kafka admin client's configuration (bootstrap servers, security)
     * @param topics the topics whose consumer groups are watched
     */
    public ConsumerLag(
            Map<String, Object> kafkaConfig,
            Collection<String> topics,
            MessagingProperties.Lag settings,
            String serviceName,
            Clock clock) {
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.topics = Set.copyOf(topics);
        this.settings = settings;
        this.clientId = serviceName + "-lag";
        this.clock = clock;
    }

    /** One group's position on one partition. */
    record Key(String group, TopicPartition partition) {}

    /** Records not consumed yet, and the age of the oldest of them in seconds. */
    record Figures(long records, double ageSeconds) {}

    @Override
    public void bindTo(MeterRegistry registry) {
        lagGauge = MultiGauge.builder("consumer.lag")
                .description("Records of a partition not yet consumed by a consumer group, from the broker's offsets")
                .baseUnit("records")
                .register(registry);
        ageGauge = MultiGauge.builder("consumer.lag.age")
                .description("Age of the oldest record of a partition not yet consumed by a consumer group; 0 without"
                        + " lag")
                .baseUnit("seconds")
                .register(registry);
        // Evaluated on every scrape, so that the first scrape reads the lag even before any group is known.
        Gauge.builder("consumer.lag.staleness", this, ConsumerLag::staleness)
                .description("Seconds since the broker last answered the reading of consumer lag")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The figures of the last reading, read again first if they are older than {@code refresh}. */
    Map<Key, Figures> figures() {
        refreshIfDue();
        return figures;
    }

    private double staleness() {
        refreshIfDue();
        long at = readAt;
        return at < 0 ? Double.NaN : (clock.millis() - at) / 1000.0;
    }

    private double value(Key key, boolean age) {
        Figures current = figures().get(key);
        if (current == null) {
            return Double.NaN;
        }
        return age ? current.ageSeconds() : current.records();
    }

    private void refreshIfDue() {
        if (clock.millis() - attemptedAt < settings.refresh().toMillis() || !reading.tryLock()) {
            return; // read recently, or being read by another scrape
        }
        try {
            if (clock.millis() - attemptedAt < settings.refresh().toMillis()) {
                return;
            }
            attemptedAt = clock.millis();
            Map<Key, Figures> read = read();
            boolean newKeys = !figures.keySet().equals(read.keySet());
            figures = read;
            readAt = clock.millis();
            failing = false;
            if (newKeys && lagGauge != null) {
                List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
                List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
                for (Key key : read.keySet()) {
                    Tags tags = Tags.of(
                            "group", key.group(),
                            "topic", key.partition().topic(),
                            "partition", String.valueOf(key.partition().partition()));
                    lagRows.add(MultiGauge.Row.of(tags, key, k -> value(k, false)));
                    ageRows.add(MultiGauge.Row.of(tags, key, k -> value(k, true)));
                }
                lagGauge.register(lagRows, true);
                ageGauge.register(ageRows, true);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Once per outage: consumer.lag.staleness keeps rising meanwhile.
            if (readAt >= 0 && !failing) {
                log.warn("Could not read consumer lag from the broker: {}", e.toString());
            } else {
                log.debug("Could not read consumer lag from the broker: {}", e.toString(), e);
            }
            failing = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reading.unlock();
        }
    }

    /** Reads every watched group's lag from the broker. */
    Map<Key, Figures> read() throws ExecutionException, InterruptedException, TimeoutException {
        long timeout = settings.timeout().toMillis();
        Admin admin = admin();
        // A group seen once is asked about again even when the broker no longer lists it: a group whose consumers
        // have all stopped may drop out of the listing while its committed offsets, and its lag, remain.
        Set<String> groups = new HashSet<>(known);
        for (GroupListing group :
                admin.listGroups(ListGroupsOptions.forConsumerGroups()).valid().get(timeout, TimeUnit.MILLISECONDS)) {
            groups.add(group.groupId());
        }
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                admin.listConsumerGroupOffsets(specs).all().get(timeout, TimeUnit.MILLISECONDS);

        // The watched topics each group has committed on, and all their partitions.
        Map<String, Set<String>> topicsOfGroup = new TreeMap<>();
        committed.forEach((group, offsets) -> offsets.keySet().stream()
                .map(TopicPartition::topic)
                .filter(topics::contains)
                .forEach(topic -> topicsOfGroup
                        .computeIfAbsent(group, g -> new HashSet<>())
                        .add(topic)));
        known.clear(); // a group whose offsets were deleted is forgotten
        known.addAll(topicsOfGroup.keySet());
        if (topicsOfGroup.isEmpty()) {
            return Map.of();
        }
        Set<String> watched = new HashSet<>();
        topicsOfGroup.values().forEach(watched::addAll);
        Map<String, TopicDescription> described =
                admin.describeTopics(watched).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described
                .values()
                .forEach(topic -> topic.partitions().forEach(partition -> {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
                    latest.put(tp, OffsetSpec.latest());
                    earliest.put(tp, OffsetSpec.earliest());
                }));
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = null;

        Map<Key, Long> positions = new HashMap<>();
        Map<Key, Figures> read = new HashMap<>();
        for (Map.Entry<String, Set<String>> entry : topicsOfGroup.entrySet()) {
            String group = entry.getKey();
            for (TopicPartition tp : ends.keySet()) {
                if (!entry.getValue().contains(tp.topic())) {
                    continue;
                }
                OffsetAndMetadata offset = committed.get(group).get(tp);
                long position;
                if (offset != null) {
                    position = offset.offset();
                } else {
                    if (starts == null) {
                        starts = admin.listOffsets(earliest).all().get(timeout, TimeUnit.MILLISECONDS);
                    }
                    position = starts.get(tp).offset();
                }
                long lag = Math.max(0, ends.get(tp).offset() - position);
                Key key = new Key(group, tp);
                read.put(key, new Figures(lag, 0));
                if (lag > 0) {
                    positions.put(key, position);
                }
            }
        }
        ages(positions)
                .forEach((key, age) -> read.put(key, new Figures(read.get(key).records(), age)));
        return read;
    }

    /**
     * The age of the record at each lagging position: the first record a group has not consumed, fetched by a
     * consumer of no group, one round per group (two groups may lag at different offsets of one partition).
     */
    private Map<Key, Double> ages(Map<Key, Long> positions) {
        Map<Key, Double> ages = new HashMap<>();
        if (positions.isEmpty()) {
            return ages;
        }
        Map<String, Map<TopicPartition, Long>> byGroup = new TreeMap<>();
        positions.forEach((key, position) ->
                byGroup.computeIfAbsent(key.group(), g -> new HashMap<>()).put(key.partition(), position));
        KafkaConsumer<byte[], byte[]> consumer = reader();
        long now = clock.millis();
        byGroup.forEach((group, seeks) -> {
            consumer.assign(seeks.keySet());
            seeks.forEach(consumer::seek);
            Set<TopicPartition> missing = new HashSet<>(seeks.keySet());
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (missing.remove(tp)) {
                        ages.put(new Key(group, tp), Math.max(0, now - record.timestamp()) / 1000.0);
                        consumer.pause(List.of(tp));
                    }
                }
            }
            consumer.resume(consumer.paused());
        });
        consumer.assign(List.of());
        return ages;
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafkaConfig);
        }
        return admin;
    }

    private KafkaConsumer<byte[], byte[]> reader() {
        if (reader == null) {
            // The connection settings of the admin client (servers, security), without those only an admin knows.
            Map<String, Object> config = new HashMap<>();
            kafkaConfig.forEach((name, value) -> {
                if (ConsumerConfig.configNames().contains(name)) {
                    config.put(name, value);
                }
            });
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
            config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            reader = new KafkaConsumer<>(config);
        }
        return reader;
    }

    @Override
    public void destroy() {
        reading.lock();
        try {
            if (reader != null) {
                reader.close(Duration.ofSeconds(1));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
        } finally {
            reading.unlock();
        }
    }
}

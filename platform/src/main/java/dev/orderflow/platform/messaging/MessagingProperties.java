package dev.orderflow.platform.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the messaging plumbing, under {@code orderflow.messaging}.
 *
 * @param serviceName names the consumer group and the dead-letter topics ({@code <topic>.<service>.dlt});
 *     defaults to {@code spring.application.name}
 * @param partitions partitions of every topic the service creates: the suite's topics, and the dead-letter
 *     topics of those it consumes (the topics of its {@link EventHandler}s)
 * @param replication replication of the topics the service creates
 * @param relay the outbox relay
 * @param retry retries of records that failed for a reason that may pass
 * @param lag the reading of consumer lag from the broker ({@link ConsumerLag})
 * @param deadLetterMaxSize the largest dead-letter record: the service creates its dead-letter topics with this
 *     {@code max.message.bytes} and its producer accepts records this large, so that a record at the broker's
 *     limit (1 MiB by default) is dead-lettered with its value and the failure's headers; a dead letter that
 *     would be larger still goes without its value
 * @param processedEvents how long the message log keeps the ids of applied events
 */
@ConfigurationProperties("orderflow.messaging")
public record MessagingProperties(
        String serviceName,
        @DefaultValue("6") int partitions,
        @DefaultValue Replication replication,
        @DefaultValue Relay relay,
        @DefaultValue Retry retry,
        @DefaultValue Lag lag,
        @DefaultValue("1088KB") DataSize deadLetterMaxSize,
        @DefaultValue ProcessedEvents processedEvents) {

    /**
     * Replication of the topics the service creates, the same for all of them; unset, each is decided from the
     * number of brokers the cluster reports when the topics are created ({@link TopicReplication}). A topic that
     * exists already keeps its replication: this decides only how a topic is created.
     *
     * @param factor replicas of each partition; unset: one per broker, three at most
     * @param minInsyncReplicas the topics' {@code min.insync.replicas}: how many replicas must have a record before
     *     Kafka acknowledges it to a producer with {@code acks=all} (the services' producers), and below which it
     *     refuses writes rather than keep a record on fewer; unset: 2 with three or more replicas, else 1
     */
    public record Replication(Integer factor, Integer minInsyncReplicas) {

        public Replication {
            if (factor != null && factor < 1) {
                throw new IllegalArgumentException(
                        "orderflow.messaging.replication.factor must be 1 or more, not " + factor);
            }
            if (minInsyncReplicas != null && minInsyncReplicas < 1) {
                throw new IllegalArgumentException(
                        "orderflow.messaging.replication.min-insync-replicas must be 1 or more, not "
                                + minInsyncReplicas);
            }
            if (factor != null && minInsyncReplicas != null && minInsyncReplicas > factor) {
                throw new IllegalArgumentException("orderflow.messaging.replication.min-insync-replicas ("
                        + minInsyncReplicas + ") must not exceed the replication factor (" + factor
                        + "): no write would ever be acknowledged");
            }
        }
    }

    /**
     * @param batchSize most records published (and deleted) in one relay transaction
     * @param pollInterval how often the relay looks for rows it was not woken for, left by a crash (a commit
     *     wakes the relay of its own instance, which takes its turn as soon as another instance's round is over)
     * @param sendTimeout how long the relay waits for Kafka's acknowledgement of a batch
     */
    public record Relay(
            @DefaultValue("500") int batchSize,
            @DefaultValue("5s") Duration pollInterval,
            @DefaultValue("30s") Duration sendTimeout) {}

    /**
     * @param initialInterval first pause before a failed record is retried
     * @param maxInterval longest pause between retries
     * @param maxAttempts attempts for an unexpected failure before the record is dead-lettered; failures
     *     of the database connection are retried without limit and never dead-lettered
     */
    public record Retry(
            @DefaultValue("200ms") Duration initialInterval,
            @DefaultValue("5s") Duration maxInterval,
            @DefaultValue("4") int maxAttempts) {}

    /**
     * @param refresh how old the figures of a scrape may be: the broker is asked at most this often, and only when
     *     scraped
     * @param timeout how long one reading waits for the broker
     */
    public record Lag(
            @DefaultValue("5s") Duration refresh,
            @DefaultValue("3s") Duration timeout) {}

    /**
     * The message log ({@code processed_event}) is pruned of ids older than the longer of {@code keep} and the
     * time a record can stay readable on a topic this service consumes ({@code retention.ms} + {@code segment.ms}
     * as the broker reports them: a segment is deleted only once its newest record is past retention), so that a
     * redelivery or a replay of the topic from its start is still recognised. A round that cannot ask the broker
     * deletes nothing.
     *
     * @param keep the least time an id is kept
     * @param pruneInterval how often the log is pruned
     * @param batchSize ids deleted in one statement (and transaction)
     */
    public record ProcessedEvents(
            @DefaultValue("7d") Duration keep,
            @DefaultValue("1h") Duration pruneInterval,
            @DefaultValue("5000") int batchSize) {}
}

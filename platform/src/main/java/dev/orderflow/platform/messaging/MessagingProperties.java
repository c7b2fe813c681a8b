package dev.orderflow.platform.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the messaging plumbing, under {@code orderflow.messaging}.
 *
 * @param serviceName names the consumer group and the dead-letter topics ({@code <topic>.<service>.dlt});
 *     defaults to {@code spring.application.name}
 * @param partitions partitions of every topic the service creates: the suite's topics, and the dead-letter
 *     topics of those it consumes (the topics of its {@link EventHandler}s)
 * @param relay the outbox relay
 * @param retry retries of records that failed for a reason that may pass
 * @param lag the reading of consumer lag from the broker ({@link ConsumerLag})
 */
@ConfigurationProperties("orderflow.messaging")
public record MessagingProperties(
        String serviceName,
        @DefaultValue("6") int partitions,
        @DefaultValue Relay relay,
        @DefaultValue Retry retry,
        @DefaultValue Lag lag) {

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
}

package dev.orderflow.platform.messaging;

/**
 * How the topics a service creates are replicated on a cluster: what {@link MessagingProperties.Replication}
 * configures, and for what it leaves unset, a replica per broker up to three and a {@code min.insync.replicas} of
 * 2 once there are three replicas. With three, a record acknowledged to an {@code acks=all} producer is on two
 * brokers at least, and one broker may be away (a rolling restart, a failure) without holding up writes. With
 * fewer, requiring two would stop every write while one broker is away, so the default is then 1.
 *
 * @param factor replicas of each partition
 * @param minInsyncReplicas the topics' {@code min.insync.replicas}
 */
public record TopicReplication(short factor, int minInsyncReplicas) {

    /** The most replicas the default gives a topic. */
    static final int DEFAULT_MAX_FACTOR = 3;

    /** The {@code min.insync.replicas} by default once a topic has {@link #DEFAULT_MAX_FACTOR} replicas or more. */
    static final int DEFAULT_MIN_INSYNC_REPLICAS = 2;

    /**
     * The replication of topics created on a cluster that reports {@code brokers} brokers. A configured factor is
     * kept even where it exceeds the brokers: Kafka then refuses to create the topic and says why, rather than
     * the topic silently getting fewer replicas than the operator asked for.
     *
     * @throws IllegalStateException where the configured {@code min.insync.replicas} exceeds the factor decided
     *     for this cluster, so that no write could ever be acknowledged
     */
    public static TopicReplication decide(MessagingProperties.Replication configured, int brokers) {
        if (brokers < 1) {
            throw new IllegalStateException("The Kafka cluster reports no broker");
        }
        int factor = configured.factor() != null ? configured.factor() : Math.min(DEFAULT_MAX_FACTOR, brokers);
        int minInsyncReplicas = configured.minInsyncReplicas() != null
                ? configured.minInsyncReplicas()
                : (factor >= DEFAULT_MAX_FACTOR ? DEFAULT_MIN_INSYNC_REPLICAS : 1);
        if (minInsyncReplicas > factor) {
            throw new IllegalStateException("orderflow.messaging.replication.min-insync-replicas (" + minInsyncReplicas
                    + ") exceeds the replication factor of " + factor + " decided for a cluster of " + brokers
                    + " broker(s): no write would ever be acknowledged");
        }
        if (factor > Short.MAX_VALUE) {
            throw new IllegalStateException("Replication factor " + factor + " is out of Kafka's range");
        }
        return new TopicReplication((short) factor, minInsyncReplicas);
    }
}

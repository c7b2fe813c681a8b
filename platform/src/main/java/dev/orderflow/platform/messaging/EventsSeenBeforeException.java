package dev.orderflow.platform.messaging;

/**
 * A transaction that applied consumed events found, as it committed, that some of them had been applied before
 * (a redelivery): it rolls back, and {@link IdempotentConsumer} applies the events again without those.
 */
class EventsSeenBeforeException extends RuntimeException {

    EventsSeenBeforeException(int seenBefore) {
        super(seenBefore + " of the events were applied before", null, false, false);
    }
}

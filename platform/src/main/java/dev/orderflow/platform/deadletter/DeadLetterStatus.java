package dev.orderflow.platform.deadletter;

/** Where a dead letter stands: waiting for an operator, or dealt with. */
public enum DeadLetterStatus {
    /** Not applied; waiting for a replay or a discard. */
    PENDING,
    /** Replayed, and applied by then (or found applied before). */
    REPLAYED,
    /** Given up on by an operator, with a reason. */
    DISCARDED
}

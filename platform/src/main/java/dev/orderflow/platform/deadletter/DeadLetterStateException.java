package dev.orderflow.platform.deadletter;

/** A replay or discard that the dead letter's status does not allow. */
public class DeadLetterStateException extends RuntimeException {

    public DeadLetterStateException(String message) {
        super(message);
    }
}

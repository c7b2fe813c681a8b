package dev.orderflow.platform.messaging;

/**
 * A record that can never be processed, however often it is retried: unreadable JSON, an unknown type,
 * content that breaks the contract. The error handler sends it to the dead-letter topic at once.
 */
public class UnprocessableEventException extends RuntimeException {

    public UnprocessableEventException(String message) {
        super(message);
    }

    public UnprocessableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}

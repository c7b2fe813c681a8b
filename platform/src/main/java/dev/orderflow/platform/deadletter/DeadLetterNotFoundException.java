package dev.orderflow.platform.deadletter;

public class DeadLetterNotFoundException extends RuntimeException {

    public DeadLetterNotFoundException(long id) {
        super("No dead letter " + id);
    }
}

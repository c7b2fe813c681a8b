package dev.orderflow.platform.deadletter;

/** A replayed record failed again; the dead letter, with the failure recorded, is still PENDING. */
public class ReplayFailedException extends RuntimeException {

    private final transient DeadLetter deadLetter;

    public ReplayFailedException(DeadLetter deadLetter) {
        super(deadLetter.reason());
        this.deadLetter = deadLetter;
    }

    public DeadLetter deadLetter() {
        return deadLetter;
    }
}

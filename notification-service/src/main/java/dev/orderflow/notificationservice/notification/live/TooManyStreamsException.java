package dev.orderflow.notificationservice.notification.live;

/** A subscription past the limits of {@link StreamProperties}: answered {@code 429} with {@code Retry-After}. */
public class TooManyStreamsException extends RuntimeException {

    TooManyStreamsException(String message) {
        super(message);
    }
}

package dev.orderflow.testsupport;

import java.util.concurrent.Flow;

/**
 * The lines of a live stream's body, as {@link java.net.http.HttpResponse.BodySubscribers#fromLineSubscriber} hands
 * them over, fed to an {@link SseParser}; {@link #cancel()} drops the connection, as a client that goes away does.
 * Used by the tests' {@link EventStreamClient} and by the bench.
 */
public final class SseLines implements Flow.Subscriber<String> {

    private final SseParser parser;
    private final Runnable onEnd;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    /** @param onEnd runs when the server ends the stream or the connection breaks */
    public SseLines(SseParser parser, Runnable onEnd) {
        this.parser = parser;
        this.onEnd = onEnd;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (cancelled) {
            subscription.cancel();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(String line) {
        parser.line(line);
    }

    @Override
    public void onError(Throwable throwable) {
        onEnd.run();
    }

    @Override
    public void onComplete() {
        onEnd.run();
    }

    /** Drops the connection, now or as soon as it is made. */
    public void cancel() {
        cancelled = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}

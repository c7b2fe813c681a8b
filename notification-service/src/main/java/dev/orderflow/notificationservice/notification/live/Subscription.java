package dev.orderflow.notificationservice.notification.live;

import dev.orderflow.notificationservice.notification.Notification;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's subscription to a customer's notifications: delivers each notification once, in sequence
 * order, to its {@link Subscriber}.
 *
 * <p>Notifications wait in a queue of their own; a sender task drains it while there is something to send
 * and ends when the queue is empty, so an idle subscription holds no thread and a slow client holds up no
 * one else. Until {@link #begin} has queued what the client missed, live notifications wait behind it;
 * anything not above the last sequence sent is dropped, which is what makes the catch-up and the live
 * notifications join without a gap or a duplicate.
 */
public final class Subscription {

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);

    private final String customerId;
    private final Subscriber subscriber;
    private final Executor senders;
    private final int maxPending;
    private final Consumer<Subscription> onEnd;

    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Notification> pending = new ArrayDeque<>();
    private boolean started;
    private boolean sending;
    private boolean heartbeatDue;
    /** End the stream once the queue is sent: the client resumes from the database when it reconnects. */
    private boolean endWhenSent;

    private boolean ended;
    /** Handed from one sender task to the next through the lock. */
    private long lastSent;

    Subscription(
            String customerId, Subscriber subscriber, Executor senders, int maxPending, Consumer<Subscription> onEnd) {
        this.customerId = customerId;
        this.subscriber = subscriber;
        this.senders = senders;
        this.maxPending = maxPending;
        this.onEnd = onEnd;
    }

    public String customerId() {
        return customerId;
    }

    /**
     * Starts delivering: first the notifications the client missed, then the live ones queued meanwhile.
     *
     * @param after the last sequence the client has; nothing up to it is sent
     * @param missed the customer's notifications after it, ascending
     * @param more whether more were missed than {@code missed} holds: the stream then ends after them and
     *     the client resumes from the last one, since live ones after them would leave a gap
     */
    void begin(long after, List<Notification> missed, boolean more) {
        lock.lock();
        try {
            lastSent = after;
            if (more) {
                pending.clear();
                endWhenSent = true;
            }
            for (Notification notification : missed.reversed()) {
                pending.addFirst(notification);
            }
            started = true;
            wakeSender();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a live notification; the feed offers them in ascending sequence. */
    void offer(Notification notification) {
        lock.lock();
        try {
            if (ended || endWhenSent) {
                return;
            }
            if (pending.size() >= maxPending) {
                // The client does not keep up: rather than hold ever more for it, end its stream; it resumes
                // after the last notification it received, from the database.
                log.info("Ending the stream of a subscriber of {} that does not keep up", customerId);
                pending.clear();
                endWhenSent = true;
            } else {
                pending.addLast(notification);
            }
            wakeSender();
        } finally {
            lock.unlock();
        }
    }

    void heartbeat() {
        lock.lock();
        try {
            if (!ended) {
                heartbeatDue = true;
                wakeSender();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the subscription because its client went away; nothing more is sent. */
    public void cancel() {
        end();
    }

    /** Ends the subscription and the client's stream. */
    void close() {
        if (end()) {
            try {
                subscriber.close();
            } catch (RuntimeException e) {
                // Already over: the server noticed on its own that the client went away.
                log.debug("The stream of a subscriber of {} ended before it was closed: {}", customerId, e.toString());
            }
        }
    }

    boolean isEnded() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    private boolean end() {
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            ended = true;
            pending.clear();
        } finally {
            lock.unlock();
        }
        onEnd.accept(this);
        return true;
    }

    /** Called with the lock held. */
    private void wakeSender() {
        if (!started || sending || ended) {
            return;
        }
        sending = true;
        try {
            senders.execute(this::send);
        } catch (RejectedExecutionException e) {
            // shutting down: the stream ends with the service
            sending = false;
        }
    }

    /** The sender task: runs until the queue is empty. */
    private void send() {
        while (true) {
            Notification next;
            boolean beat;
            lock.lock();
            try {
                if (ended) {
                    sending = false;
                    return;
                }
                next = pending.pollFirst();
                // A notification keeps the connection open as well as a heartbeat does.
                beat = heartbeatDue && next == null;
                heartbeatDue = false;
                if (next == null && !beat) {
                    sending = false;
                    if (!endWhenSent) {
                        return;
                    }
                }
            } finally {
                lock.unlock();
            }
            try {
                if (next != null) {
                    if (next.getSequence() > lastSent) {
                        subscriber.send(next);
                        lastSent = next.getSequence();
                    }
                } else if (beat) {
                    subscriber.heartbeat();
                } else {
                    close();
                    return;
                }
            } catch (Exception e) {
                log.debug("A subscriber of {} is gone: {}", customerId, e.toString());
                close();
                return;
            }
        }
    }
}

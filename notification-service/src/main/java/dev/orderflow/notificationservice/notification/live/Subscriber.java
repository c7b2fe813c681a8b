package dev.orderflow.notificationservice.notification.live;

import dev.orderflow.notificationservice.notification.Notification;

/**
 * The receiving end of a {@link Subscription}: writes to one client. Called by one thread at a time, in
 * order; a method that throws ends the subscription.
 */
public interface Subscriber {

    void send(Notification notification) throws Exception;

    /** Something that keeps an idle connection open. */
    void heartbeat() throws Exception;

    /** Ends the stream; the client may reconnect and resume. */
    void close();
}

package dev.orderflow.notificationservice.notification.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the live notification stream, under {@code notifications.stream}.
 *
 * @param heartbeat how often an idle stream gets a comment line, so that proxies and load balancers do not
 *     close it for inactivity (most give up after 30 to 60 seconds), and so that a vanished client is noticed
 * @param timeout how long one stream stays open; clients then reconnect and resume where they were
 * @param pollInterval how often the stream reads new notifications even without being told of them, and
 *     checks its database connection for announcements; announcements usually come within milliseconds
 * @param maxPending most notifications held for one client that does not keep up; beyond that its stream
 *     ends, and it resumes from the database when it reconnects
 * @param reconnectAfter how long a client waits before reconnecting once its stream ended or broke (the stream's
 *     first line, {@code retry:})
 * @param maxPerCustomer most streams open at once for one customer (a person with a few tabs open); one more is a
 *     {@code 429} problem
 * @param maxTotal most streams open at once in all; each holds a connection (Tomcat accepts 8192, which the rest of
 *     the API needs too) and about 90 KB of heap for its buffers, so the heap sets this bound: ./run-local.sh and
 *     the image give the service 384 MB, which holds 2,000 streams beside the rest
 * @param retryAfter what {@code Retry-After} says to a client refused for too many streams
 */
@ConfigurationProperties("notifications.stream")
public record StreamProperties(
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("30m") Duration timeout,
        @DefaultValue("10s") Duration pollInterval,
        @DefaultValue("1000") int maxPending,
        @DefaultValue("2s") Duration reconnectAfter,
        @DefaultValue("5") int maxPerCustomer,
        @DefaultValue("2000") int maxTotal,
        @DefaultValue("10s") Duration retryAfter) {}

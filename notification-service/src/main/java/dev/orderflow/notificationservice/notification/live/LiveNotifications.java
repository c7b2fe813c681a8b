package dev.orderflow.notificationservice.notification.live;

import dev.orderflow.notificationservice.notification.Notification;
import dev.orderflow.notificationservice.notification.Notifications;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hands every stored notification to the live subscriptions of its customer, whichever instance of the
 * service stored it.
 *
 * <p>Storing is serialised so that notifications commit in the order of their sequence (see
 * {@code NotificationCenter#notify}). Reading everything after the last sequence seen, each time the
 * {@link NotificationChannel} says that something was stored, therefore reads every notification once and
 * in order. A subscription is registered before what its client missed is read, so a notification stored
 * meanwhile is either in that read or offered live; the subscription drops the one that is both.
 */
@Component
@EnableConfigurationProperties(StreamProperties.class)
public class LiveNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveNotifications.class);

    private static final int BATCH = 500;

    private final Notifications notifications;
    private final StreamProperties settings;
    private final Map<String, Set<Subscription>> subscriptions = new ConcurrentHashMap<>();
    /** Open subscriptions in all; counted apart from the map so that the limit holds under concurrent subscribes. */
    private final AtomicInteger open = new AtomicInteger();
    /** Senders run only while a subscription has something to send: idle subscriptions hold no thread. */
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    private final ReentrantLock reading = new ReentrantLock();
    /** Guarded by {@link #reading}. */
    private long lastSeen;

    private ScheduledExecutorService heartbeats;
    private volatile boolean running;
    private volatile boolean stopped;

    LiveNotifications(Notifications notifications, StreamProperties settings, ObjectProvider<MeterRegistry> meters) {
        this.notifications = notifications;
        this.settings = settings;
        Gauge.builder("notifications.stream.subscriptions", this, LiveNotifications::subscriptionCount)
                .description("Open live notification streams")
                .register(meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    /**
     * Subscribes to a customer's notifications: those stored from now on, and first, given the last
     * sequence a client has, those it missed after it. A last sequence beyond the newest stored (a client of
     * another database, a forged header) is a fresh subscription: resuming after it would drop every notification
     * up to it, silently.
     *
     * @throws TooManyStreamsException when the customer, or the service, has as many streams open as it allows
     */
    public Subscription subscribe(String customerId, OptionalLong lastEventId, Subscriber subscriber) {
        Subscription subscription =
                new Subscription(customerId, subscriber, senders, settings.maxPending(), this::remove);
        if (stopped) {
            subscription.close();
            return subscription;
        }
        if (open.incrementAndGet() > settings.maxTotal()) {
            open.decrementAndGet();
            throw new TooManyStreamsException("This service has as many live streams open as it allows ("
                    + settings.maxTotal() + "); try again later");
        }
        try {
            subscriptions.compute(customerId, (id, set) -> {
                Set<Subscription> all = set != null ? set : ConcurrentHashMap.newKeySet();
                if (all.size() >= settings.maxPerCustomer()) {
                    throw new TooManyStreamsException("Customer " + id + " has as many live streams open as allowed ("
                            + settings.maxPerCustomer() + "); close one or try again later");
                }
                all.add(subscription);
                return all;
            });
        } catch (TooManyStreamsException e) {
            open.decrementAndGet();
            throw e;
        }
        try {
            if (lastEventId.isPresent() && lastEventId.getAsLong() > notifications.lastSequence()) {
                lastEventId = OptionalLong.empty();
            }
            if (lastEventId.isEmpty()) {
                subscription.begin(0, List.of(), false);
            } else {
                List<Notification> missed =
                        notifications.ofCustomerAfter(customerId, lastEventId.getAsLong(), settings.maxPending() + 1);
                boolean more = missed.size() > settings.maxPending();
                subscription.begin(
                        lastEventId.getAsLong(), more ? missed.subList(0, settings.maxPending()) : missed, more);
            }
        } catch (RuntimeException e) {
            subscription.cancel();
            throw e;
        }
        return subscription;
    }

    /** Reads what was stored since the last read and offers it to the subscriptions of its customer. */
    void readNew() {
        reading.lock();
        try {
            List<Notification> batch;
            do {
                batch = notifications.after(lastSeen, BATCH);
                offer(batch);
            } while (batch.size() == BATCH);
        } finally {
            reading.unlock();
        }
    }

    /**
     * Offers notifications a storing transaction announced with its commit, in sequence order: announcements
     * arrive in commit order, which is sequence order, so none stored after the last one seen can be missing
     * before them.
     */
    void offerStored(List<Notification> stored) {
        reading.lock();
        try {
            offer(stored);
        } finally {
            reading.unlock();
        }
    }

    /** Called with {@link #reading} held. */
    private void offer(List<Notification> batch) {
        for (Notification notification : batch) {
            if (notification.getSequence() <= lastSeen) {
                continue; // read from the database already
            }
            Set<Subscription> subscribers = subscriptions.get(notification.getCustomerId());
            if (subscribers != null) {
                subscribers.forEach(subscription -> subscription.offer(notification));
            }
            lastSeen = notification.getSequence();
        }
    }

    /** How many subscriptions are open, for all customers. */
    public int subscriptionCount() {
        return subscriptions.values().stream().mapToInt(Set::size).sum();
    }

    /** Called once per subscription that was registered, when it ends. */
    private void remove(Subscription subscription) {
        subscriptions.computeIfPresent(subscription.customerId(), (id, set) -> {
            if (set.remove(subscription)) {
                open.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }

    private void forEachSubscription(Consumer<Subscription> action) {
        subscriptions.values().forEach(set -> set.forEach(action));
    }

    private void heartbeat() {
        try {
            forEachSubscription(Subscription::heartbeat);
        } catch (RuntimeException e) {
            // A failed run would cancel the ones after it.
            log.warn("Could not send heartbeats", e);
        }
    }

    /**
     * Live delivery starts after what is stored when the service starts. Read here, not when the bean is made, so
     * that building the application context needs no database (the images' ahead-of-time training run builds it
     * without one); the announcements this follows start after it (NotificationChannel depends on this).
     */
    @Override
    public void start() {
        lastSeen = notifications.lastSequence();
        long every = settings.heartbeat().toMillis();
        heartbeats = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("notification-heartbeat").daemon().factory());
        heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    /**
     * Ends every open stream before the web server shuts down gracefully (a later phase), which would
     * otherwise wait for them; clients reconnect, to another instance or to this one once it is back.
     */
    @Override
    public void stop() {
        stopped = true;
        running = false;
        heartbeats.shutdownNow();
        forEachSubscription(Subscription::close);
        senders.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

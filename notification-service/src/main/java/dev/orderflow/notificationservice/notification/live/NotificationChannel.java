package dev.orderflow.notificationservice.notification.live;

import dev.orderflow.notificationservice.notification.Notification;
import dev.orderflow.notificationservice.notification.NotificationType;
import dev.orderflow.notificationservice.notification.Notifications;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the instances of the service sharing a database learn that notifications were stored: PostgreSQL's NOTIFY
 * on the channel {@link Notifications#CHANNEL}, sent by the statement that stores them and so delivered when,
 * and only if, their transaction commits, in commit order. Its payload carries the notifications themselves, so
 * that they need not be read back; an empty one (too many for a payload) says "read what is new".
 *
 * <p>Each instance listens on a connection of its own, outside the pool (a pooled connection would be
 * taken from the pool for good, and LISTEN holds only for the connection that issued it), on a platform
 * thread of its own. When the connection is lost it reconnects with backoff and then reads whatever was
 * stored meanwhile, as it also does every {@code poll-interval}, so that an announcement lost with a
 * connection delays a notification but never loses it.
 */
@Component
class NotificationChannel implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationChannel.class);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final JdbcConnectionDetails database;
    private final LiveNotifications live;
    private final StreamProperties settings;
    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private volatile boolean running;
    private volatile Connection connection;
    private Thread listener;

    NotificationChannel(JdbcConnectionDetails database, LiveNotifications live, StreamProperties settings) {
        this.database = database;
        this.live = live;
        this.settings = settings;
    }

    /** A notification as the announcement's payload spells it (the table's columns, and the traceparent). */
    private record Announced(
            UUID id,
            long sequence,
            String customerId,
            UUID orderId,
            NotificationType type,
            String message,
            OffsetDateTime createdAt,
            String traceparent) {

        Notification notification() {
            return new Notification(
                    id, sequence, customerId, orderId, type, message, createdAt.toInstant(), traceparent);
        }
    }

    @Override
    public void start() {
        running = true;
        listener = Thread.ofPlatform().name("notification-listener").daemon().start(this::listen);
    }

    /** Closing the connection ends the listening thread's wait at once. */
    @Override
    public void stop() {
        running = false;
        Connection current = connection;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                // closing it is all that was wanted
            }
        }
        try {
            listener.join(MAX_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        int failures = 0;
        while (running) {
            try (Connection opened = connect()) {
                connection = opened;
                try (Statement statement = opened.createStatement()) {
                    statement.execute("LISTEN " + Notifications.CHANNEL);
                }
                if (failures > 0) {
                    log.info("Listening on {} again", Notifications.CHANNEL);
                }
                failures = 0;
                PGConnection channel = opened.unwrap(PGConnection.class);
                live.readNew(); // what was stored while nobody listened
                long nextCheck = System.nanoTime() + settings.pollInterval().toNanos();
                while (running) {
                    long wait = Math.max(1, (nextCheck - System.nanoTime()) / 1_000_000);
                    PGNotification[] announced = channel.getNotifications((int) Math.min(wait, Integer.MAX_VALUE));
                    if (announced != null && announced.length > 0) {
                        for (PGNotification announcement : announced) {
                            deliver(announcement.getParameter());
                        }
                    } else if (System.nanoTime() - nextCheck >= 0) {
                        // A connection that silently died would otherwise just never announce anything.
                        try (Statement statement = opened.createStatement()) {
                            statement.execute("SELECT 1");
                        }
                        live.readNew();
                        nextCheck = System.nanoTime() + settings.pollInterval().toNanos();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                failures++;
                long pause = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(failures, 6));
                log.warn(
                        "Lost the channel {} (attempt {}), reconnecting in {} ms: {}",
                        Notifications.CHANNEL,
                        failures,
                        pause,
                        e.toString());
                sleep(pause);
            } finally {
                connection = null;
            }
        }
    }

    /** The notifications of the payload, or what is new in the database when the payload does not carry them. */
    private void deliver(String payload) {
        if (payload == null || payload.isEmpty()) {
            live.readNew();
            return;
        }
        List<Notification> stored;
        try {
            stored = json.readValue(payload, new TypeReference<List<Announced>>() {}).stream()
                    .map(Announced::notification)
                    .toList();
        } catch (JacksonException e) {
            log.warn(
                    "Could not read an announcement on {}; reading what is new instead: {}",
                    Notifications.CHANNEL,
                    e.getOriginalMessage());
            live.readNew();
            return;
        }
        live.offerStored(stored);
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (database.getUsername() != null) {
            properties.setProperty("user", database.getUsername());
        }
        if (database.getPassword() != null) {
            properties.setProperty("password", database.getPassword());
        }
        properties.setProperty("ApplicationName", "notification-listener");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(database.getJdbcUrl(), properties);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.orderflow.notificationservice.notification.live;

import dev.orderflow.notificationservice.notification.NotificationStored;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How the instances of the service sharing a database tell each other that a notification was stored:
 * PostgreSQL's NOTIFY on the channel {@value #CHANNEL}, sent in the storing transaction and so delivered
 * when, and only if, it commits.
 *
 * <p>Each instance listens on a connection of its own, outside the pool (a pooled connection would be
 * taken from the pool for good, and LISTEN holds only for the connection that issued it), on a platform
 * thread of its own. When the connection is lost it reconnects with backoff and then reads whatever was
 * stored meanwhile, as it also does every {@code poll-interval}, so that an announcement lost with a
 * connection delays a notification but never loses it.
 */
@Component
class NotificationChannel implements SmartLifecycle {

    static final String CHANNEL = "notification_stored";

    private static final Logger log = LoggerFactory.getLogger(NotificationChannel.class);

    /** The longest the listening thread waits for an announcement before it looks at its other duties. */
    private static final int WAIT_MILLIS = 500;

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final JdbcConnectionDetails database;
    private final LiveNotifications live;
    private final StreamProperties settings;

    private volatile boolean running;
    private Thread listener;

    NotificationChannel(
            JdbcClient jdbc, JdbcConnectionDetails database, LiveNotifications live, StreamProperties settings) {
        this.jdbc = jdbc;
        this.database = database;
        this.live = live;
        this.settings = settings;
    }

    /**
     * Runs in the storing transaction, once for all the notifications it stores (a listener reads everything
     * new when told); the payload is the first one's sequence.
     */
    @EventListener
    void announce(NotificationStored stored) {
        if (TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(this, CHANNEL);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(NotificationChannel.this);
            }
        });
        jdbc.sql("SELECT pg_notify(?, ?)")
                .params(CHANNEL, String.valueOf(stored.notification().getSequence()))
                .query()
                .singleValue();
    }

    @Override
    public void start() {
        running = true;
        listener = Thread.ofPlatform().name("notification-listener").daemon().start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        try {
            listener.join(WAIT_MILLIS * 4L);
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
            try (Connection connection = connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (failures > 0) {
                    log.info("Listening on {} again", CHANNEL);
                }
                failures = 0;
                PGConnection channel = connection.unwrap(PGConnection.class);
                live.readNew(); // what was stored while nobody listened
                long nextCheck = System.nanoTime() + settings.pollInterval().toNanos();
                while (running) {
                    PGNotification[] announced = channel.getNotifications(WAIT_MILLIS);
                    if (announced != null && announced.length > 0) {
                        live.readNew();
                    } else if (System.nanoTime() - nextCheck >= 0) {
                        // A connection that silently died would otherwise just never announce anything.
                        try (Statement statement = connection.createStatement()) {
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
                        CHANNEL,
                        failures,
                        pause,
                        e.toString());
                sleep(pause);
            }
        }
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

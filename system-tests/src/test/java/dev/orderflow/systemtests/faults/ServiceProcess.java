package dev.orderflow.systemtests.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One service jar running in a JVM of its own, started as a user starts it ({@code java -jar} with the
 * contract's environment variables), so that it can be killed abruptly ({@code SIGKILL}: no shutdown hook,
 * no offset commit, no last relay run) or stopped as an operator stops it ({@code SIGTERM}).
 */
final class ServiceProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String service;
    final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String service, int port, Process process, Path log) {
        this.service = service;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code <service>/target/<service>-*.jar} with these environment variables and arguments; does not wait. */
    static ServiceProcess start(
            String service, int port, Map<String, String> environment, List<String> arguments, Path logDirectory) {
        Path jar = jarOf(service);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-Xss512k"));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(
                    service + "-" + port + "-" + Instant.now().toEpochMilli() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("SERVER_PORT", Integer.toString(port));
            return new ServiceProcess(service, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + service, e);
        }
    }

    /** The runnable jar that {@code package} leaves as the only jar in {@code <service>/target/}. */
    static Path jarOf(String service) {
        Path target = Path.of(System.getProperty("orderflow.root", ".."))
                .resolve(service)
                .resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "No runnable jar of " + service + " in " + target.toAbsolutePath()
                            + ": run ./mvnw package (or verify) from the project's root first",
                    e);
        }
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Waits until {@code /actuator/health} answers UP. */
    ServiceProcess awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " ended while starting (exit " + process.exitValue()
                        + "); see " + log.toAbsolutePath());
            }
            if (healthy()) {
                return this;
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(
                service + " was not healthy within " + timeout + "; see " + log.toAbsolutePath());
    }

    boolean healthy() {
        try {
            HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The service's Prometheus scrape. */
    String metrics() {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a counter's samples in the scrape (all tags), 0 if it has none yet. */
    double counter(String prometheusName) {
        return metrics()
                .lines()
                .filter(line -> line.startsWith(prometheusName + " ") || line.startsWith(prometheusName + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** SIGKILL: the JVM ends at once, in the middle of whatever it was doing. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: the service shuts down gracefully and leaves its consumer group. */
    void stop() {
        process.destroy();
        waitForExit();
    }

    boolean alive() {
        return process.isAlive();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return service + " on " + port + " (log " + log + ")";
    }
}

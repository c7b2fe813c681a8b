package dev.orderflow.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One instance of a service jar in a JVM of its own, started as a user starts it: {@code java -jar} with the
 * contract's environment variables ({@link #contractEnvironment}), so that it can be killed abruptly ({@link
 * #kill}: SIGKILL) or stopped as an operator stops it ({@link #stop}: SIGTERM).
 */
public final class ServiceInstance {

    /**
     * Small heaps and one GC thread: several services and brokers share a few cores. A service keeps about 60 MB
     * alive; a young generation of 64 MB lets a request's garbage die young instead of filling the old generation
     * (with the default, 1/3 of a heap that started at 64 MB, the old generation of order-service grew to 170 MB of
     * garbage under load). Both JIT compilers stay on: C1 alone starts sooner, but warm, orders took longer with it
     * (p99 to the outcome at 25 orders/s: 171 ms with C1 alone, 51 ms with both). A JVM out of memory exits rather
     * than go on with threads that died of it (Tomcat's acceptor, once, left a service that took no connection).
     */
    public static final List<String> JVM_OPTIONS =
            List.of("-Xms128m", "-Xmx192m", "-Xmn64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    /**
     * notification-service holds the live streams: each open one keeps Tomcat's buffers for its connection, about
     * 90 KB of heap, so its heap has room for the streams it admits ({@code notifications.stream.max-total}) beside
     * the rest (192 MB held 1,000 streams under load and ran out at about 2,000).
     */
    public static final List<String> NOTIFICATION_JVM_OPTIONS = List.of("-Xmx384m");

    /** The options of a service's JVM: {@link #JVM_OPTIONS}, and for notification-service its larger heap. */
    public static List<String> jvmOptions(Service service) {
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        if (service.equals(Service.NOTIFICATION)) {
            options.addAll(NOTIFICATION_JVM_OPTIONS);
        }
        return options;
    }

    /** glibc keeps an arena per thread by default, up to eight per core; two hold a service's few allocations. */
    public static final Map<String, String> NATIVE_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /**
     * What to start.
     *
     * @param jar the runnable jar (or the extracted one an ahead-of-time cache belongs to)
     * @param jvmOptions options of the JVM besides {@link #jvmOptions(Service)}
     * @param environment the contract's variables ({@link #contractEnvironment}) and any others
     * @param arguments the application's arguments ({@code --spring.…=…})
     * @param log where its output goes
     * @param echo where each line of its output also goes; null for none
     */
    public record Spec(
            Service service,
            int instance,
            int port,
            Path jar,
            List<String> jvmOptions,
            Map<String, String> environment,
            List<String> arguments,
            Path log,
            ChildProcess.Echo echo) {

        public String name() {
            return service.instanceName(instance);
        }
    }

    private final Spec spec;
    private final ChildProcess process;

    private ServiceInstance(Spec spec, ChildProcess process) {
        this.spec = spec;
        this.process = process;
    }

    /** Starts the instance; does not wait for it to be healthy. */
    public static ServiceInstance start(Launcher launcher, Spec spec) {
        List<String> command = new ArrayList<>();
        command.add(Launcher.java().toString());
        command.addAll(jvmOptions(spec.service()));
        command.addAll(spec.jvmOptions());
        command.add("-jar");
        command.add(spec.jar().toString());
        command.addAll(spec.arguments());
        Map<String, String> environment = new LinkedHashMap<>(NATIVE_ENVIRONMENT);
        environment.putAll(spec.environment());
        environment.put("SERVER_PORT", Integer.toString(spec.port()));
        try {
            return new ServiceInstance(
                    spec,
                    launcher.spawn(spec.name(), Launcher.Role.SERVICE, command, environment, spec.log(), spec.echo()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + spec.name(), e);
        }
    }

    /** The only configuration a service needs (see the contract): its port, its database and the brokers. */
    public static Map<String, String> contractEnvironment(
            int port, String jdbcUrl, String username, String password, String bootstrapServers) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("SPRING_DATASOURCE_URL", jdbcUrl);
        environment.put("SPRING_DATASOURCE_USERNAME", username);
        environment.put("SPRING_DATASOURCE_PASSWORD", password);
        environment.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        return environment;
    }

    public Service service() {
        return spec.service();
    }

    public int instance() {
        return spec.instance();
    }

    /** {@code payment-service}, {@code payment-service-1}, … */
    public String name() {
        return spec.name();
    }

    public int port() {
        return spec.port();
    }

    public String baseUrl() {
        return "http://localhost:" + spec.port();
    }

    public Spec spec() {
        return spec;
    }

    public ChildProcess process() {
        return process;
    }

    public Path log() {
        return spec.log();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code /actuator/health} answers {@code UP}. */
    public boolean healthy() {
        return healthy(baseUrl());
    }

    /** Whether {@code /actuator/health} of the service at that base URL answers {@code UP}. */
    public static boolean healthy(String baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until it answers healthy. */
    public ServiceInstance awaitHealthy(Duration timeout) {
        awaitHealthy(List.of(this), timeout, healthy -> {});
        return this;
    }

    /**
     * Waits until every instance answers healthy, telling each as it becomes so.
     *
     * @throws LaunchFailure with the last lines of its log when an instance ends, or when one is not healthy in time
     */
    public static void awaitHealthy(
            Collection<ServiceInstance> instances, Duration timeout, Consumer<ServiceInstance> onHealthy) {
        List<ServiceInstance> pending = new ArrayList<>(instances);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            for (ServiceInstance instance : List.copyOf(pending)) {
                if (!instance.isAlive()) {
                    instance.process.awaitOutput(Duration.ofSeconds(2));
                    throw new LaunchFailure(instance, instance.process.tail(40));
                }
                if (instance.healthy()) {
                    pending.remove(instance);
                    onHealthy.accept(instance);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new Launcher.LaunchFailure("Not healthy within " + timeout.toSeconds() + " s: "
                        + String.join(
                                ", ",
                                pending.stream()
                                        .map(i -> i.name() + " (log " + i.log() + ")")
                                        .toList()));
            }
            if (!pending.isEmpty()) {
                pause(Duration.ofMillis(250));
            }
        }
    }

    /** SIGKILL: the JVM ends at once, in the middle of whatever it was doing. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM: the service shuts down gracefully and leaves its consumer groups; SIGKILL after the grace period. */
    public void stop() {
        process.stop(Launcher.SERVICE_STOP_GRACE);
    }

    /** SIGTERM, without waiting. */
    public void terminate() {
        process.terminate();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Launcher.LaunchFailure("Interrupted.");
        }
    }

    @Override
    public String toString() {
        return name() + " on " + port() + " (log " + log() + ")";
    }

    /** An instance that ended while it was starting, with the last lines of its log. */
    public static final class LaunchFailure extends Launcher.LaunchFailure {

        private final transient ServiceInstance instance;
        private final String tail;

        LaunchFailure(ServiceInstance instance, String tail) {
            super(instance.name() + " ended while starting (exit code "
                    + instance.process.process().exitValue() + "); its last lines (" + instance.log() + "):\n"
                    + tail);
            this.instance = instance;
            this.tail = tail;
        }

        public ServiceInstance instance() {
            return instance;
        }

        public String tail() {
            return tail;
        }
    }
}

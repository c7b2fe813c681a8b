package dev.orderflow.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts the suite's processes and stops them in order: the service instances first, so that they end their work
 * against a live broker and database, then the Kafka nodes, then what was registered to close last (the
 * PostgreSQL server). Every process it starts carries two marks on its command line, {@code
 * -Dorderflow.launcher.home=<home>} and {@code -Dorderflow.launcher.part=<name>}, so that the processes of a
 * launcher that was itself killed can be found and stopped by the next one on the same home ({@link #leftovers}),
 * and told apart from all others (e.g. {@code pgrep -f}).
 *
 * <p>A stop ({@link #stopAll}) waits for a start under way to finish, and no start begins after it.
 */
public final class Launcher {

    /** How a started process is stopped: service instances before infrastructure. */
    public enum Role {
        SERVICE,
        INFRASTRUCTURE
    }

    public static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    public static final Duration INFRASTRUCTURE_STOP_GRACE = Duration.ofSeconds(30);

    private static final Pattern PART_MARK = Pattern.compile("-Dorderflow\\.launcher\\.part=(\\S+)");

    private final Path home;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /**
     * Read-held while a part is being started (several at once), write-held by a stop, so that a stop never misses
     * a part.
     */
    private final ReentrantReadWriteLock starting = new ReentrantReadWriteLock();

    private final List<ChildProcess> services = new CopyOnWriteArrayList<>();
    private final List<ChildProcess> infrastructure = new CopyOnWriteArrayList<>();
    private final List<Closing> last = new CopyOnWriteArrayList<>();

    private record Closing(String name, AutoCloseable resource) {}

    /** @param home where the parts keep their data; it tells this launcher's processes from others' */
    public Launcher(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    public Path home() {
        return home;
    }

    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * Starts a process; its output goes to {@code log} and, with an {@code echo}, also there line by line.
     *
     * @throws LaunchFailure when the launcher is stopping
     */
    public ChildProcess spawn(
            String name,
            Role role,
            List<String> command,
            Map<String, String> environment,
            Path log,
            ChildProcess.Echo echo)
            throws IOException {
        starting.readLock().lock();
        try {
            if (stopping.get()) {
                throw new LaunchFailure("Stopped while starting.");
            }
            List<String> marked = new ArrayList<>(command);
            marked.addAll(1, List.of(homeMark(), "-Dorderflow.launcher.part=" + name));
            ChildProcess child = ChildProcess.start(name, marked, environment, log, echo);
            (role == Role.SERVICE ? services : infrastructure).add(child);
            return child;
        } finally {
            starting.readLock().unlock();
        }
    }

    /**
     * Runs {@code start} unless the launcher is stopping, and registers what it returns to be closed after every
     * process has stopped (the PostgreSQL server, whose processes are not this launcher's children).
     */
    public <T extends AutoCloseable> T startLast(String name, StartAction<T> start) throws Exception {
        starting.readLock().lock();
        try {
            if (stopping.get()) {
                throw new LaunchFailure("Stopped while starting.");
            }
            T resource = start.start();
            last.add(new Closing(name, resource));
            return resource;
        } finally {
            starting.readLock().unlock();
        }
    }

    @FunctionalInterface
    public interface StartAction<T> {
        T start() throws Exception;
    }

    /** Forgets processes that have ended, e.g. a killed instance that is started again under the same name. */
    public void forget(ChildProcess child) {
        services.remove(child);
        infrastructure.remove(child);
    }

    public boolean stopping() {
        return stopping.get();
    }

    /** Every process started and not yet stopped or forgotten, services first. */
    public List<ChildProcess> processes() {
        return Stream.concat(services.stream(), infrastructure.stream()).toList();
    }

    /**
     * Stops everything: the services together (SIGTERM, then SIGKILL after the grace period), then the Kafka
     * nodes together, then what was registered to close last, in reverse order. Reports each step; reports
     * nothing when nothing ran. Safe to call more than once and from a shutdown hook.
     */
    public void stopAll(Consumer<String> report) {
        stopping.set(true);
        // No start is under way from here on, and none begins.
        starting.writeLock().lock();
        try {
            stopGroup(services, SERVICE_STOP_GRACE, report);
            // Together: a KRaft node that stops alone waits for the controllers to move its leaderships away,
            // which cannot happen once a majority of them has gone.
            stopGroup(infrastructure, INFRASTRUCTURE_STOP_GRACE, report);
            List<Closing> closing = new ArrayList<>(last);
            last.clear();
            for (Closing resource : closing.reversed()) {
                try {
                    resource.resource().close();
                    report.accept(resource.name() + " stopped.");
                } catch (Exception e) {
                    report.accept(resource.name() + " did not stop cleanly: " + e.getMessage());
                }
            }
        } finally {
            starting.writeLock().unlock();
        }
    }

    private static void stopGroup(List<ChildProcess> group, Duration grace, Consumer<String> report) {
        List<ChildProcess> running =
                group.stream().filter(ChildProcess::isAlive).toList();
        running.forEach(ChildProcess::terminate);
        for (ChildProcess part : running) {
            boolean killed = ChildProcess.awaitExit(part.process().toHandle(), grace);
            part.awaitOutput(Duration.ofSeconds(2));
            report.accept(part.name()
                    + (killed
                            ? " did not stop within the grace period and was killed."
                            : " stopped (exit code " + part.process().exitValue() + ")."));
        }
        group.clear();
    }

    /**
     * Processes left running on this home by a launcher that was killed (SIGKILL, a crash) and could not stop
     * them, services first: they would hold the ports and the data directories.
     */
    public List<ProcessHandle> leftovers() {
        String mark = homeMark() + " ";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(mark))
                .sorted(Comparator.comparing((ProcessHandle p) -> !partOf(p).contains("-service")))
                .toList();
    }

    /** The name a process was started under, from its mark. */
    public static String partOf(ProcessHandle process) {
        Matcher part = PART_MARK.matcher(process.info().commandLine().orElse(""));
        return part.find() ? part.group(1) : "process";
    }

    private String homeMark() {
        return "-Dorderflow.launcher.home=" + home;
    }

    /** A reason not to go on, told to the user as it is, without a stack trace. */
    public static class LaunchFailure extends RuntimeException {
        public LaunchFailure(String message) {
            super(message);
        }
    }
}

package dev.orderflow.launcher;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A process the launcher started: a service instance or a Kafka node, with its output in a log file. */
public final class ChildProcess {

    /**
     * Runs the command with SIGINT and SIGHUP ignored. Ctrl-C in a terminal signals the whole
     * foreground process group; this way only the runner hears it and stops the parts in order
     * (services before the broker and the database they use). A JVM that starts with SIGINT ignored
     * leaves it ignored; SIGTERM still stops it cleanly.
     */
    private static final List<String> SHIELD = List.of("/bin/sh", "-c", "trap '' INT HUP; exec \"$0\" \"$@\"");

    private final String name;
    private final Process process;
    private final Path log;
    /** Copies the output to the log file and the console; null when the output goes to the file directly. */
    private final Thread copier;

    private ChildProcess(String name, Process process, Path log, Thread copier) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.copier = copier;
    }

    /**
     * Starts the command. Its output goes to {@code log} and, when {@code echo} is given, also to the
     * console, prefixed with the name.
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log, Echo echo)
            throws IOException {
        List<String> shielded = new ArrayList<>(SHIELD);
        shielded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(shielded).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        if (echo == null) {
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new ChildProcess(name, builder.start(), log, null);
        }
        Process process = builder.start();
        Thread copier = Thread.ofPlatform().daemon().name(name + "-output").start(() -> copy(process, log, echo));
        return new ChildProcess(name, process, log, copier);
    }

    private static void copy(Process process, Path log, Echo echo) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter file = Files.newBufferedWriter(
                        log, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            String line;
            while ((line = in.readLine()) != null) {
                file.write(line);
                file.newLine();
                file.flush();
                echo.line(line);
            }
        } catch (IOException e) {
            // The process is gone or the runner is ending; what was written stays in the file.
        }
    }

    /** Where a line of a child's output goes besides its log file. */
    @FunctionalInterface
    public interface Echo {
        void line(String text);
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}; tells whether it came to that. */
    public boolean stop(Duration grace) {
        return stop(process.toHandle(), grace);
    }

    /**
     * SIGKILL, and waits until it is gone: the process ends at once, in the middle of whatever it was doing (no
     * shutdown hook, no last offset commit, no controlled shutdown of a broker).
     */
    public void kill() {
        process.toHandle().destroyForcibly();
        process.onExit().join();
    }

    /**
     * SIGTERM, without waiting. Through the handle: {@link Process#destroy()} would also close our end
     * of its output pipe, and the lines it logs while shutting down would be lost.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Waits until the last lines the process wrote are in its log. */
    public void awaitOutput(Duration timeout) {
        if (copier != null) {
            try {
                copier.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}; tells whether it came to that. */
    public static boolean stop(ProcessHandle handle, Duration grace) {
        handle.destroy();
        return awaitExit(handle, grace);
    }

    /**
     * Waits for the end of a process already asked to stop; SIGKILL if it takes longer than {@code grace}.
     * Tells whether it had to be killed.
     */
    public static boolean awaitExit(ProcessHandle handle, Duration grace) {
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException | InterruptedException | ExecutionException e) {
            handle.destroyForcibly();
            handle.onExit().join();
            return true;
        }
    }

    /** The last lines of its log, to show why it failed. */
    public String tail(int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e.getMessage() + ")";
        }
    }
}

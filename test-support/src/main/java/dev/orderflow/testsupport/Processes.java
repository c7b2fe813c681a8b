package dev.orderflow.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Programs a test runs to their end (kubectl, docker-compose, java), with what they wrote. */
public final class Processes {

    private Processes() {}

    /** How a program ended: its exit code, and what it wrote to standard output and to standard error. */
    public record Result(int exitCode, String output, String errors) {}

    /**
     * Waits for a started program to end, reading both its outputs meanwhile so that it never blocks on a full pipe;
     * fails the test if it takes longer than the timeout, a whole number of minutes.
     */
    public static Result finish(Process process, List<String> command, Duration timeout) {
        try {
            process.getOutputStream().close();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String output = read(process.getInputStream());
            if (!process.waitFor(timeout.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("%s did not finish within %d minutes", String.join(" ", command), timeout.toMinutes());
            }
            return new Result(process.exitValue(), output, errors.join());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

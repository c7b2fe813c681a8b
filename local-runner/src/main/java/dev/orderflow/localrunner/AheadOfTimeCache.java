package dev.orderflow.localrunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service's ahead-of-time cache (JDK 25 and newer: JEP 483, 514 and 515): the classes of a training run,
 * loaded and linked, and the profiles of the methods it ran, so that the service starts in about half the
 * processor time and compiles its hot code sooner. A cache fits one set of jars: it is made from the service's
 * jar extracted (the JVM cannot cache classes nested in a Spring Boot jar) and made again whenever the jar
 * changes. The JVM checks the cache itself and runs without it when it does not fit.
 */
final class AheadOfTimeCache {

    /** The first JDK whose JVM takes {@code -XX:AOTCacheOutput}, which trains and writes a cache in one run. */
    static final int FIRST_JDK = 25;

    private final Path sourceJar;
    private final Path directory;

    /**
     * @param sourceJar the service's runnable jar, as the build leaves it
     * @param directory where its extracted jar, cache and stamp live ({@code local-runner/target/aot/<service>})
     */
    AheadOfTimeCache(Path sourceJar, Path directory) {
        this.sourceJar = sourceJar;
        this.directory = directory;
    }

    static boolean supported(Runtime.Version jdk) {
        return jdk.feature() >= FIRST_JDK;
    }

    /** The jar the service runs from: the extracted one, whose classes the cache holds. */
    Path jar() {
        return directory.resolve("app").resolve(sourceJar.getFileName());
    }

    Path cache() {
        return directory.resolve("service.aot");
    }

    /** Whether the cache was trained on the service's current jar. */
    boolean trained() throws IOException {
        Path stamp = stamp();
        return Files.isRegularFile(cache())
                && Files.isRegularFile(jar())
                && Files.isRegularFile(stamp)
                && Files.readString(stamp).equals(fingerprint());
    }

    /** Extracts the service's jar afresh, and forgets an earlier cache. */
    void prepare(Path java, Path log) throws IOException, InterruptedException {
        Files.deleteIfExists(stamp());
        Files.deleteIfExists(cache());
        Path app = directory.resolve("app");
        if (Files.exists(app)) {
            try (var files = Files.walk(app)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(directory);
        Process extract = new ProcessBuilder(
                        java.toString(),
                        "-Djarmode=tools",
                        "-jar",
                        sourceJar.toString(),
                        "extract",
                        "--destination",
                        app.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!extract.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS) || extract.exitValue() != 0) {
            extract.destroyForcibly();
            throw new IOException("Could not extract " + sourceJar + "; see " + log);
        }
    }

    /** Options of a training run: it writes the cache when it exits. */
    List<String> trainingOptions() {
        return List.of("-XX:AOTCacheOutput=" + cache());
    }

    /** Options of a run with the cache. */
    List<String> options() {
        return List.of("-XX:AOTCache=" + cache());
    }

    /** Remembers that the cache belongs to the current jar; false if the training run wrote none. */
    boolean markTrained() throws IOException {
        if (!Files.isRegularFile(cache())) {
            return false;
        }
        Files.writeString(stamp(), fingerprint());
        return true;
    }

    private Path stamp() {
        return directory.resolve("trained-on");
    }

    /** The jar's path, size and time: the build writes a new file whenever it builds it again. */
    private String fingerprint() throws IOException {
        return sourceJar.toAbsolutePath() + " " + Files.size(sourceJar) + " " + Files.getLastModifiedTime(sourceJar);
    }
}

package dev.orderflow.localrunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A service's ahead-of-time cache (JDK 25 and newer: JEP 483, 514 and 515): the classes of a training run,
 * loaded and linked, and the profiles of the methods it ran, so that the service starts in about half the
 * processor time and compiles its hot code sooner. A cache fits one set of jars: it is made from the service's
 * jar extracted (the JVM cannot cache classes nested in a Spring Boot jar) and made again whenever the jar
 * changes. The JVM checks the cache itself and runs without it when it does not fit.
 *
 * <p>Made in two steps: a training run records what it did as it exits ({@link #trainingOptions}), then a JVM
 * of its own writes the cache from that record ({@link #assemble}). (The one-step {@code -XX:AOTCacheOutput}
 * writes it in a child of the service's JVM, with the service's small heap: slow, and on a busy machine slower
 * than any sensible wait.)
 */
final class AheadOfTimeCache {

    /** The first JDK whose ahead-of-time cache holds method profiles (JEP 515) as well as classes. */
    static final int FIRST_JDK = 25;

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);

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

    /** What a training run recorded: the classes it loaded and the profiles of its methods. */
    private Path record() {
        return directory.resolve("service.aotconf");
    }

    private Path stamp() {
        return directory.resolve("trained-on");
    }

    /** Whether the cache was made from the service's current jar. */
    boolean trained() throws IOException {
        return Files.isRegularFile(cache())
                && Files.isRegularFile(jar())
                && Files.isRegularFile(stamp())
                && Files.readString(stamp()).equals(fingerprint());
    }

    /** Forgets an earlier cache and extracts the service's jar afresh. */
    void prepare(Path java, Path log) throws IOException, InterruptedException {
        Files.deleteIfExists(stamp());
        Files.deleteIfExists(cache());
        Files.deleteIfExists(record());
        Path app = directory.resolve("app");
        if (Files.exists(app)) {
            try (var files = Files.walk(app)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(directory);
        run(
                List.of(
                        java.toString(),
                        "-Djarmode=tools",
                        "-jar",
                        sourceJar.toString(),
                        "extract",
                        "--destination",
                        app.toString()),
                log,
                "extract " + sourceJar);
    }

    /** Options of a training run: it records what it did as it exits. */
    List<String> trainingOptions() {
        return List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + record());
    }

    /** Writes the cache from what the training run recorded, and remembers that it fits the current jar. */
    void assemble(Path java, Path log) throws IOException, InterruptedException {
        if (!Files.isRegularFile(record())) {
            throw new IOException("The training run of " + sourceJar.getFileName() + " recorded nothing; see " + log);
        }
        run(
                List.of(
                        java.toString(),
                        "-Xmx1g",
                        "-XX:AOTMode=create",
                        "-XX:AOTConfiguration=" + record(),
                        "-XX:AOTCache=" + cache(),
                        "-jar",
                        jar().toString()),
                log,
                "write the ahead-of-time cache of " + sourceJar.getFileName());
        Files.delete(record());
        Files.writeString(stamp(), fingerprint());
    }

    /** Options of a run with the cache. */
    List<String> options() {
        return List.of("-XX:AOTCache=" + cache());
    }

    /**
     * What the jar holds: each entry's name, size and checksum, from its central directory (nothing is inflated).
     * Not its time: the build is reproducible, so every jar it writes has the same one.
     */
    private String fingerprint() throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long entries = 0;
        try (ZipFile zip = new ZipFile(sourceJar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                digest.update((entry.getName() + " " + entry.getSize() + " " + entry.getCrc() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                entries++;
            }
        }
        return sourceJar.toAbsolutePath() + " " + entries + " entries "
                + HexFormat.of().formatHex(digest.digest());
    }

    private static void run(List<String> command, Path log, String what) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("Could not " + what + "; see " + log);
        }
    }
}

package dev.orderflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The process file system of Linux, or a directory laid out like it: processes' processor time, memory
 * and age, and which process holds a listening TCP socket. Where a file is missing or unreadable (not
 * Linux, a process that has ended, another user's process) it answers empty, never fails.
 */
final class Proc {

    /** What Linux uses on every architecture the bench runs on, when getconf cannot say. */
    static final long DEFAULT_TICKS_PER_SECOND = 100;

    /** {@code st} of a listening socket in /proc/net/tcp. */
    private static final String LISTEN = "0A";

    private final Path root;
    private final long ticksPerSecond;

    Proc(Path root, long ticksPerSecond) {
        this.root = root;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** This machine's /proc, with the kernel's clock ticks per second. */
    static Proc system() {
        return new Proc(Path.of("/proc"), clockTicksPerSecond());
    }

    long ticksPerSecond() {
        return ticksPerSecond;
    }

    boolean exists() {
        return Files.isRegularFile(root.resolve("uptime"));
    }

    Optional<ProcStat> stat(long pid) {
        return read(root.resolve(pid + "/stat")).flatMap(Proc::parseStat);
    }

    /** Every process whose stat could be read. */
    List<ProcStat> stats() {
        List<ProcStat> stats = new ArrayList<>();
        for (long pid : pids()) {
            stat(pid).ifPresent(stats::add);
        }
        return stats;
    }

    /**
     * Processor time so far of a JVM's JIT compiler threads (HotSpot's "C1 CompilerThread<n>" and "C2
     * CompilerThread<n>"), in clock ticks; empty if the process's threads cannot be read. A compiler thread that
     * ended takes its time with it.
     */
    OptionalLong jitTicks(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(root.resolve(pid + "/task"))) {
            for (Path thread : threads) {
                Optional<ProcStat> stat = read(thread.resolve("stat")).flatMap(Proc::parseStat);
                if (stat.isPresent() && isJitCompiler(stat.get().comm())) {
                    ticks += stat.get().ownTicks();
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ticks);
    }

    /** Whether a thread's name (as /proc shortens it, to 15 characters) is one of HotSpot's JIT compilers. */
    static boolean isJitCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /** Resident memory, in KiB. */
    OptionalLong rssKib(long pid) {
        return read(root.resolve(pid + "/status")).map(Proc::vmRssKib).orElse(OptionalLong.empty());
    }

    /** Seconds since the system booted, the clock of {@link ProcStat#starttime()}. */
    OptionalDouble uptimeSeconds() {
        try {
            return read(root.resolve("uptime"))
                    .map(text ->
                            OptionalDouble.of(Double.parseDouble(text.strip().split("\\s+")[0])))
                    .orElse(OptionalDouble.empty());
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** How long the process has been running; empty if unknown. */
    OptionalDouble ageSeconds(long pid) {
        Optional<ProcStat> stat = stat(pid);
        OptionalDouble uptime = uptimeSeconds();
        if (stat.isEmpty() || uptime.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(uptime.getAsDouble() - stat.get().starttime() / (double) ticksPerSecond);
    }

    /** The inodes of the sockets listening on TCP {@code port}, IPv4 and IPv6. */
    Set<Long> listeningInodes(int port) {
        Set<Long> inodes = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            read(root.resolve(table)).ifPresent(text -> inodes.addAll(listeningInodes(text, port)));
        }
        return inodes;
    }

    /** For each of {@code inodes}, the processes with a descriptor of that socket. */
    Map<Long, Set<Long>> holders(Set<Long> inodes) {
        Map<Long, Set<Long>> holders = new HashMap<>();
        for (long pid : pids()) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(root.resolve(pid + "/fd"))) {
                for (Path fd : fds) {
                    OptionalLong inode = socketInode(fd);
                    if (inode.isPresent() && inodes.contains(inode.getAsLong())) {
                        holders.computeIfAbsent(inode.getAsLong(), i -> new HashSet<>())
                                .add(pid);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // ended meanwhile, or not ours to read
            }
        }
        return holders;
    }

    /**
     * The inodes of the sockets in LISTEN state on {@code port}, from a /proc/net/tcp or tcp6 table: {@code
     * sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}, the
     * address and port in hexadecimal.
     */
    static Set<Long> listeningInodes(String table, int port) {
        Set<Long> inodes = new HashSet<>();
        for (String line : table.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 10 || !fields[0].endsWith(":") || !LISTEN.equals(fields[3])) {
                continue;
            }
            String local = fields[1];
            try {
                if (Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == port) {
                    inodes.add(Long.parseLong(fields[9]));
                }
            } catch (NumberFormatException e) {
                // not a socket line
            }
        }
        return inodes;
    }

    /** {@code VmRSS:   123456 kB} of a /proc/<pid>/status; empty for a kernel thread, which has none. */
    static OptionalLong vmRssKib(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] fields = line.substring("VmRSS:".length()).strip().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(fields[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static Optional<ProcStat> parseStat(String line) {
        try {
            return Optional.of(ProcStat.parse(line.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static OptionalLong socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return OptionalLong.of(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
            }
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            // closed meanwhile, or not a link
        }
        return OptionalLong.empty();
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc here
        }
        return pids;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                long ticks = Long.parseLong(out);
                if (ticks > 0) {
                    return ticks;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // assumed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_TICKS_PER_SECOND;
    }
}

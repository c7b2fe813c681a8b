package dev.orderflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine's processors were between two readings of {@code /proc/stat} (Linux), and how much
 * of that was the bench itself: on one machine the bench competes with what it measures.
 */
final class MachineCpu {

    /** A reading: the "cpu" line's jiffies, and the bench's own processor time. */
    record Reading(long busy, long total, long benchNanos) {}

    private MachineCpu() {}

    static Reading read() {
        long benchNanos =
                ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        ? os.getProcessCpuTime()
                        : -1;
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            return parse(first, benchNanos);
        } catch (IOException | RuntimeException e) {
            return new Reading(-1, -1, benchNanos);
        }
    }

    /** The aggregate line {@code cpu user nice system idle iowait irq softirq steal ...}. */
    static Reading parse(String cpuLine, long benchNanos) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu")) {
            throw new IllegalArgumentException("Not the aggregate cpu line: " + cpuLine);
        }
        long total = 0;
        long idle = 0;
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice
        for (int i = 1; i < Math.min(fields.length, 9); i++) {
            long value = Long.parseLong(fields[i]);
            total += value;
            if (i == 4 || i == 5) {
                idle += value;
            }
        }
        return new Reading(total - idle, total, benchNanos);
    }

    /** The share of all processors' time spent busy between the readings; null if unknown. */
    static Double busyShare(Reading before, Reading after) {
        long total = after.total() - before.total();
        if (before.total() < 0 || total <= 0) {
            return null;
        }
        return Math.round((after.busy() - before.busy()) * 1000.0 / total) / 1000.0;
    }

    /** Processors the bench kept busy on average over {@code seconds}; null if unknown. */
    static Double benchCores(Reading before, Reading after, double seconds) {
        if (before.benchNanos() < 0 || seconds <= 0) {
            return null;
        }
        return Math.round((after.benchNanos() - before.benchNanos()) / 1e9 / seconds * 100) / 100.0;
    }
}

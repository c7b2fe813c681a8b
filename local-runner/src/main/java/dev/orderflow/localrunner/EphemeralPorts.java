package dev.orderflow.localrunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The kernel's range of ephemeral ports, from which every outgoing connection takes its local port. A port of the
 * suite inside it can be taken by one of the suite's own connections (brokers to one another, connection pools)
 * before the part that listens on it has started.
 *
 * @param from the first port of the range
 * @param to the last
 */
record EphemeralPorts(int from, int to) {

    EphemeralPorts {
        if (from < 1 || from > to || to > 65_535) {
            throw new IllegalArgumentException("Not a port range: " + from + " " + to);
        }
    }

    static final Path LINUX = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** The range of this machine, where the kernel says it (Linux). */
    static Optional<EphemeralPorts> ofThisMachine() {
        try {
            // line by line: Files.readString gave the first character of this file alone (JDK 25)
            return Files.isReadable(LINUX)
                    ? Optional.of(parse(Files.readAllLines(LINUX).getFirst()))
                    : Optional.empty();
        } catch (IOException | IllegalArgumentException | NoSuchElementException e) {
            return Optional.empty();
        }
    }

    /** A range as {@code ip_local_port_range} gives it: two numbers, separated by white space. */
    static EphemeralPorts parse(String line) {
        String[] bounds = line.strip().split("\\s+");
        if (bounds.length != 2) {
            throw new IllegalArgumentException("Not a port range: " + line);
        }
        return new EphemeralPorts(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
    }

    boolean contains(int port) {
        return port >= from && port <= to;
    }

    @Override
    public String toString() {
        return from + "–" + to;
    }
}

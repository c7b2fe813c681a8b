package dev.orderflow.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The processes of the suite on this machine, found by the ports the bench is given: whichever process
 * holds the socket listening on a service's port, on a broker's, on PostgreSQL's. A part of the suite is
 * every process found on its ports: all instances of order-service are "order-service", all brokers
 * "kafka". Their processor time, memory and age come from /proc. A process not found (the suite on
 * another machine, not Linux, a port published by a container proxy) has no figures: the report says n/a,
 * or, of a part found only in part, counts what was found and says what was not.
 */
final class SuiteProcesses {

    static final String ORDER = "order-service";
    static final String PAYMENT = "payment-service";
    static final String NOTIFICATION = "notification-service";
    static final String KAFKA = "kafka";
    static final String POSTGRES = "postgresql";
    static final String BENCH = "bench";
    /** The three services, the broker and PostgreSQL together, the bench left out. */
    static final String SUITE = "suite";
    /** The three services together, in the idle figures. */
    static final String SERVICES_TOGETHER = "services";

    static final List<String> SERVICES = List.of(ORDER, PAYMENT, NOTIFICATION);
    static final List<String> SUITE_PARTS = List.of(ORDER, PAYMENT, NOTIFICATION, KAFKA, POSTGRES);
    static final List<String> PROCESSES = List.of(ORDER, PAYMENT, NOTIFICATION, KAFKA, POSTGRES, BENCH);

    /** Where a process of the suite listens. */
    record Endpoint(String host, int port) {

        static Endpoint of(URI url) {
            int port = url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
            return new Endpoint(url.getHost(), port);
        }

        /** Each of Kafka's {@code host:port,host:port} bootstrap servers. */
        static List<Endpoint> ofBootstrap(String servers) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (String server : servers.split(",")) {
                String s = server.strip();
                endpoints.add(hostPort(s.contains("://") ? s.substring(s.indexOf("://") + 3) : s, 9092));
            }
            return endpoints;
        }

        /** The first server of {@code jdbc:postgresql://host[:port][,host[:port]...]/database?...}. */
        static Endpoint ofJdbc(String url) {
            String prefix = "jdbc:postgresql://";
            if (!url.startsWith(prefix)) {
                // jdbc:postgresql:database
                return new Endpoint("localhost", 5432);
            }
            String rest = url.substring(prefix.length());
            int end = rest.length();
            for (char c : new char[] {'/', '?'}) {
                if (rest.indexOf(c) >= 0) {
                    end = Math.min(end, rest.indexOf(c));
                }
            }
            String first = rest.substring(0, end).split(",")[0].strip();
            return hostPort(first.isEmpty() ? "localhost" : first, 5432);
        }

        /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
        private static Endpoint hostPort(String value, int defaultPort) {
            String host = value;
            String port = null;
            int close = value.indexOf(']');
            if (value.startsWith("[") && close > 0) {
                host = value.substring(1, close);
                port = value.startsWith(":", close + 1) ? value.substring(close + 2) : null;
            } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
                host = value.substring(0, value.indexOf(':'));
                port = value.substring(value.indexOf(':') + 1);
            }
            try {
                return new Endpoint(host, port == null || port.isEmpty() ? defaultPort : Integer.parseInt(port));
            } catch (NumberFormatException e) {
                return new Endpoint(host, defaultPort);
            }
        }
    }

    /** Processor time so far of each part whose processes were all still running, in clock ticks. */
    record Reading(long nanos, Map<String, Long> ticks) {}

    private final Proc proc;
    private final Map<String, List<Long>> pids;
    private final Map<String, String> missing;

    SuiteProcesses(Proc proc, Map<String, List<Long>> pids, Map<String, String> missing) {
        this.proc = proc;
        this.pids = pids;
        this.missing = missing;
    }

    /**
     * Finds the processes listening on each part's ports. A process holding ports of two parts counts for
     * the first only; one holding two ports of one part counts once.
     */
    static SuiteProcesses find(Proc proc, Map<String, List<Endpoint>> endpoints, long benchPid) {
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        Map<String, Set<String>> problems = new LinkedHashMap<>();
        if (!proc.exists()) {
            PROCESSES.forEach(name -> problem(problems, name, "no /proc (not Linux)"));
            return new SuiteProcesses(proc, pids, joined(problems));
        }
        record Listening(String part, int port, Set<Long> inodes) {}
        List<Listening> listening = new ArrayList<>();
        endpoints.forEach((name, list) -> list.forEach(endpoint -> {
            if (!isThisMachine(endpoint.host())) {
                problem(problems, name, endpoint.host() + " is not this machine");
                return;
            }
            Set<Long> inodes = proc.listeningInodes(endpoint.port());
            if (inodes.isEmpty()) {
                problem(problems, name, "nothing here listens on port " + endpoint.port());
            } else {
                listening.add(new Listening(name, endpoint.port(), inodes));
            }
        }));
        Set<Long> all = new HashSet<>();
        listening.forEach(l -> all.addAll(l.inodes()));
        Map<Long, Set<Long>> holders = proc.holders(all);
        Map<Long, String> taken = new HashMap<>();
        for (Listening l : listening) {
            Set<Long> holding = new HashSet<>();
            l.inodes().forEach(inode -> holding.addAll(holders.getOrDefault(inode, Set.of())));
            Optional<ProcStat> found = eldest(proc, holding);
            String heldBy = found.map(f -> taken.get(f.pid())).orElse(null);
            if (found.isEmpty()) {
                problem(problems, l.part(), "no process visible here holds port " + l.port());
            } else if (found.get().comm().startsWith("docker-proxy")) {
                problem(
                        problems,
                        l.part(),
                        "port " + l.port() + " is published by docker-proxy, the process is in a container");
            } else if (heldBy != null && !heldBy.equals(l.part())) {
                problem(problems, l.part(), "port " + l.port() + " is held by the same process as " + heldBy);
            } else if (heldBy == null) {
                pids.computeIfAbsent(l.part(), p -> new ArrayList<>())
                        .add(found.get().pid());
                taken.put(found.get().pid(), l.part());
            }
        }
        if (proc.stat(benchPid).isPresent()) {
            pids.put(BENCH, List.of(benchPid));
        } else {
            problem(problems, BENCH, "its own /proc entry is unreadable");
        }
        return new SuiteProcesses(proc, ordered(pids), ordered(joined(problems)));
    }

    private static void problem(Map<String, Set<String>> problems, String part, String problem) {
        problems.computeIfAbsent(part, p -> new LinkedHashSet<>()).add(problem);
    }

    private static Map<String, String> joined(Map<String, Set<String>> problems) {
        Map<String, String> joined = new LinkedHashMap<>();
        problems.forEach((part, list) -> joined.put(part, String.join("; ", list)));
        return joined;
    }

    /** Of the processes sharing a socket, the one whose parent is not among them (a server before its workers). */
    private static Optional<ProcStat> eldest(Proc proc, Set<Long> holding) {
        List<ProcStat> stats = new ArrayList<>();
        holding.forEach(pid -> proc.stat(pid).ifPresent(stats::add));
        return stats.stream()
                .filter(s -> !holding.contains((long) s.ppid()))
                .min((a, b) -> Long.compare(a.pid(), b.pid()));
    }

    static boolean isThisMachine(String host) {
        if (host == null || host.isEmpty()) {
            // InetAddress would take it for the loopback address
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address.isLoopbackAddress()
                        || address.isAnyLocalAddress()
                        || NetworkInterface.getByInetAddress(address) != null) {
                    return true;
                }
            }
        } catch (IOException e) {
            // unknown host: not this machine as far as the bench can tell
        }
        return false;
    }

    /** The processes found, by part. */
    Map<String, List<Long>> pids() {
        return pids;
    }

    /** Why a part has no figures, or not all of them, by name. */
    Map<String, String> missing() {
        return missing;
    }

    long ticksPerSecond() {
        return proc.ticksPerSecond();
    }

    Reading read() {
        List<ProcStat> all = pids.containsKey(POSTGRES) ? proc.stats() : List.of();
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, list) -> {
            long sum = 0;
            for (long pid : list) {
                OptionalLong t = name.equals(POSTGRES)
                        ? treeTicks(pid, all)
                        : proc.stat(pid).map(s -> OptionalLong.of(s.ownTicks())).orElse(OptionalLong.empty());
                if (t.isEmpty()) {
                    // one instance gone: the part's sum would drop
                    return;
                }
                sum += t.getAsLong();
            }
            ticks.put(name, sum);
        });
        for (String service : SERVICES) {
            long sum = 0;
            for (long pid : pids.getOrDefault(service, List.of())) {
                OptionalLong t = proc.jitTicks(pid);
                if (t.isEmpty()) {
                    sum = -1;
                    break;
                }
                sum += t.getAsLong();
            }
            if (sum >= 0 && pids.containsKey(service)) {
                ticks.put(jit(service), sum);
            }
        }
        return new Reading(System.nanoTime(), ticks);
    }

    /** The name under which a reading holds the ticks of a service's JIT compiler threads. */
    static String jit(String service) {
        return service + " JIT";
    }

    /**
     * Milliseconds per order that each service's JIT compiler threads spent between two readings (part of its
     * processor time); null where unknown, or where the sum dropped: a compiler thread that ends between the readings
     * takes its time along (and one that ends while others gain makes the figure too low).
     */
    static Map<String, Double> jitMsPerOrder(Reading from, Reading to, long orders, long ticksPerSecond) {
        Map<String, Double> ms = new LinkedHashMap<>();
        for (String service : SERVICES) {
            Long before = from.ticks().get(jit(service));
            Long after = to.ticks().get(jit(service));
            ms.put(
                    service,
                    before == null || after == null || after < before || orders <= 0
                            ? null
                            : round((after - before) * 1000.0 / ticksPerSecond / orders, 1000));
        }
        return ms;
    }

    /**
     * Processor time of a process and all its descendants (PostgreSQL's backends come and go): each live
     * one's own time and what its reaped children spent. A child that ends between two readings moves its
     * time into its parent's reaped-children time, so the sum does not drop.
     */
    static OptionalLong treeTicks(long root, List<ProcStat> all) {
        Map<Long, List<ProcStat>> children = new HashMap<>();
        ProcStat top = null;
        for (ProcStat s : all) {
            children.computeIfAbsent((long) s.ppid(), p -> new ArrayList<>()).add(s);
            if (s.pid() == root) {
                top = s;
            }
        }
        if (top == null) {
            return OptionalLong.empty();
        }
        long ticks = 0;
        List<ProcStat> next = new ArrayList<>(List.of(top));
        Set<Long> seen = new HashSet<>();
        while (!next.isEmpty()) {
            ProcStat s = next.removeLast();
            if (seen.add(s.pid())) {
                ticks += s.ticksWithReapedChildren();
                next.addAll(children.getOrDefault(s.pid(), List.of()));
            }
        }
        return OptionalLong.of(ticks);
    }

    /**
     * Milliseconds of processor time per order between two readings, by process, and the suite's (only when
     * every part of it is known); null where unknown.
     */
    static Map<String, Double> msPerOrder(Reading from, Reading to, long orders, long ticksPerSecond) {
        Map<String, Double> ms = new LinkedHashMap<>();
        seconds(from, to, ticksPerSecond, SUITE, SUITE_PARTS)
                .forEach((name, seconds) ->
                        ms.put(name, seconds == null || orders <= 0 ? null : round(seconds * 1000 / orders, 1000)));
        return ms;
    }

    /**
     * Processor time between two readings as a percentage of one core over the time between them, by
     * process, and of the three services together; null where unknown.
     */
    static Map<String, Double> corePercent(Reading from, Reading to, long ticksPerSecond) {
        double elapsed = (to.nanos() - from.nanos()) / 1e9;
        Map<String, Double> percent = new LinkedHashMap<>();
        seconds(from, to, ticksPerSecond, SERVICES_TOGETHER, SERVICES)
                .forEach((name, seconds) -> percent.put(
                        name, seconds == null || elapsed <= 0 ? null : round(seconds / elapsed * 100, 100)));
        return percent;
    }

    /**
     * Resident memory in MiB of the services, the brokers and the bench, of a part with several processes
     * its largest; PostgreSQL's is mostly shared.
     */
    Map<String, Double> rssMib() {
        Map<String, Double> mib = new LinkedHashMap<>();
        for (String name : List.of(ORDER, PAYMENT, NOTIFICATION, KAFKA, BENCH)) {
            OptionalLong kib = pids.getOrDefault(name, List.of()).stream()
                    .map(proc::rssKib)
                    .filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong)
                    .max();
            mib.put(name, kib.isPresent() ? round(kib.getAsLong() / 1024.0, 10) : null);
        }
        return mib;
    }

    /**
     * How long each service's process has been running, in seconds, of a service with several instances
     * the youngest; null where unknown.
     */
    Map<String, Double> serviceAges() {
        Map<String, Double> ages = new LinkedHashMap<>();
        for (String name : SERVICES) {
            OptionalDouble age = pids.getOrDefault(name, List.of()).stream()
                    .map(proc::ageSeconds)
                    .filter(OptionalDouble::isPresent)
                    .mapToDouble(OptionalDouble::getAsDouble)
                    .min();
            ages.put(name, age.isPresent() ? round(age.getAsDouble(), 10) : null);
        }
        return ages;
    }

    /** Processor seconds between two readings by process, and {@code total} of {@code parts}; null where unknown. */
    private static Map<String, Double> seconds(
            Reading from, Reading to, long ticksPerSecond, String total, List<String> parts) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String name : PROCESSES) {
            Long before = from.ticks().get(name);
            Long after = to.ticks().get(name);
            // less than before: the pid is another process's now
            seconds.put(
                    name,
                    before == null || after == null || after < before
                            ? null
                            : (after - before) / (double) ticksPerSecond);
        }
        Double sum = 0.0;
        for (String part : parts) {
            sum = sum == null || seconds.get(part) == null ? null : sum + seconds.get(part);
        }
        seconds.put(total, sum);
        return seconds;
    }

    private static <V> Map<String, V> ordered(Map<String, V> byName) {
        Map<String, V> ordered = new LinkedHashMap<>();
        PROCESSES.stream().filter(byName::containsKey).forEach(name -> ordered.put(name, byName.get(name)));
        return ordered;
    }

    private static double round(double value, int per) {
        return Math.round(value * per) / (double) per;
    }
}

package dev.orderflow.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The command line of {@code ./bench.sh}. */
record BenchOptions(
        int rate,
        Duration duration,
        Duration warmup,
        boolean search,
        boolean cold,
        List<Integer> steps,
        Duration stepDuration,
        int refine,
        Duration p99Limit,
        Duration drain,
        Duration idle,
        int customers,
        double declineShare,
        List<URI> orderUrls,
        List<URI> paymentUrls,
        List<URI> notificationUrls,
        String kafka,
        String postgres,
        boolean floors,
        Duration floorDuration,
        int pgConnections,
        Path out,
        boolean help) {

    /** From a rate any machine sustains up to one no single machine will; the search stops where the suite no longer keeps up. */
    static final List<Integer> DEFAULT_STEPS = List.of(25, 50, 100, 200, 400, 700, 1000, 1400, 2000, 2800, 4000);

    static final String USAGE = """
            Usage: ./bench.sh [--rate N] [--duration S] [--warmup S] [--search | --cold] [options]

            Drives POST /api/orders of a running suite (./run-local.sh by default) open-loop at a fixed rate,
            times each order to its 202 and to its ORDER_CONFIRMED/ORDER_REJECTED notification on the live
            stream, reads the services' own timings from /actuator/prometheus and each process's processor
            time and memory from /proc, measures the Kafka and PostgreSQL floors on the same broker and
            server, and writes report.json, report.md and latency.png to --out. It never fails on slow
            figures: it prints them.

            Load
              --rate N              orders per second of a fixed-rate run (default 100)
              --duration S          seconds measured at --rate (default 60)
              --warmup S            seconds of unmeasured load first, at the first rate (default 10)
              --customers N         customers, each with a live stream of its own (default 1000)
              --decline-share F     share of orders above the credit limit, to be declined (default 0.1)
              --drain S             longest wait after a step for its outstanding notifications (default 30)
              --idle S              seconds of the suite's idle processor time, measured first, before any
                                    stream or order (default 20; 0 skips)

            Step search (instead of a fixed rate)
              --search              finds the highest rate whose p99 stays under --p99-limit without errors
                                    or a growing backlog
              --steps LIST          offered rates, ascending
                                    (default 25,50,100,200,400,700,1000,1400,2000,2800,4000)
              --step-duration S     seconds per step (default 20)
              --refine N            steps halfway between the last pass and the failure above it (default 2)
              --p99-limit MS        (default 250)

            Cold start
              --cold                for a suite that has just reported healthy: --rate 50 --duration 60
                                    --warmup 0 --no-floors --idle 0 --customers 20; the report says how long
                                    after each service's process started the step began. An option given
                                    as well wins, before or after --cold.

            Where the suite is (on this machine, the processes listening on the ports are measured from /proc)
              --order-url URL[,URL...]
                                    (default http://localhost:8080); orders go to the URLs in turn
              --payment-url URL[,URL...]
                                    (default http://localhost:8081)
              --notification-url URL[,URL...]
                                    (default http://localhost:8082); customer k's live stream goes to
                                    URL k mod the number of URLs
              --instances N         N instances of each service, as ./run-local.sh --instances N starts
                                    them: each service's one URL (default or given) becomes N, instance i
                                    on its port + 100 * i (8080, 8180, ...)
              --kafka HOST:PORT[,HOST:PORT...]
                                    the services' brokers, for the Kafka floor and consumer lag; every
                                    one listed is measured (default localhost:9092, as ./run-local.sh; for
                                    ./run-local.sh --brokers 3:
                                    localhost:9092,localhost:9192,localhost:9292)
              --postgres JDBC-URL   a superuser of the services' PostgreSQL server, for the commit floor
                                    (in a scratch database it creates and drops) and the services' commits
                                    (default jdbc:postgresql://localhost:5432/postgres?user=postgres, as
                                    ./run-local.sh)

            Floors and output
              --no-floors           skip the Kafka and PostgreSQL floors
              --floors              measure them (the default; undoes --cold's --no-floors)
              --floor-duration S    seconds of each floor measurement (default 10)
              --pg-connections N    connections committing at once in the PostgreSQL floor (default 4)
              --out DIR             where the report goes (default target/bench)
              --help                this text
            """;

    static BenchOptions defaults() {
        return new BenchOptions(
                100,
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                false,
                false,
                DEFAULT_STEPS,
                Duration.ofSeconds(20),
                2,
                Duration.ofMillis(250),
                Duration.ofSeconds(30),
                Duration.ofSeconds(20),
                1000,
                0.1,
                List.of(URI.create("http://localhost:8080")),
                List.of(URI.create("http://localhost:8081")),
                List.of(URI.create("http://localhost:8082")),
                "localhost:9092",
                "jdbc:postgresql://localhost:5432/postgres?user=postgres",
                true,
                Duration.ofSeconds(10),
                4,
                Path.of("target", "bench"),
                false);
    }

    /**
     * Takes {@code --name value} and {@code --name=value} alike. {@code --cold} sets only what no other
     * option given sets, wherever that option stands.
     */
    static BenchOptions parse(List<String> args) {
        Builder b = new Builder(defaults());
        Set<String> given = new HashSet<>();
        Iterator<String> it = expand(args).iterator();
        while (it.hasNext()) {
            String name = it.next();
            given.add(name.equals("--no-floors") ? "--floors" : name);
            switch (name) {
                case "--help", "-h" -> b.help = true;
                case "--search" -> b.search = true;
                case "--cold" -> b.cold = true;
                case "--no-floors" -> b.floors = false;
                case "--floors" -> b.floors = true;
                case "--rate" -> b.rate = positiveInt(name, value(name, it));
                case "--duration" -> b.duration = seconds(name, value(name, it), false);
                case "--warmup" -> b.warmup = seconds(name, value(name, it), true);
                case "--steps" -> b.steps = steps(value(name, it));
                case "--step-duration" -> b.stepDuration = seconds(name, value(name, it), false);
                case "--refine" -> b.refine = nonNegativeInt(name, value(name, it));
                case "--p99-limit" -> b.p99Limit = Duration.ofMillis(positiveInt(name, value(name, it)));
                case "--drain" -> b.drain = seconds(name, value(name, it), false);
                case "--idle" -> b.idle = seconds(name, value(name, it), true);
                case "--customers" -> b.customers = positiveInt(name, value(name, it));
                case "--decline-share" -> b.declineShare = share(name, value(name, it));
                case "--order-url" -> b.orderUrls = urls(name, value(name, it));
                case "--payment-url" -> b.paymentUrls = urls(name, value(name, it));
                case "--notification-url" -> b.notificationUrls = urls(name, value(name, it));
                case "--instances" -> b.instances = positiveInt(name, value(name, it));
                case "--kafka" -> b.kafka = value(name, it);
                case "--postgres" -> b.postgres = jdbcUrl(name, value(name, it));
                case "--floor-duration" -> b.floorDuration = seconds(name, value(name, it), false);
                case "--pg-connections" -> b.pgConnections = positiveInt(name, value(name, it));
                case "--out" -> b.out = Path.of(value(name, it));
                default -> throw new IllegalArgumentException("Unknown option " + name);
            }
        }
        if (b.cold) {
            b.coldStart(given);
        }
        if (b.instances > 0) {
            b.orderUrls = instances("--order-url", b.orderUrls, b.instances);
            b.paymentUrls = instances("--payment-url", b.paymentUrls, b.instances);
            b.notificationUrls = instances("--notification-url", b.notificationUrls, b.instances);
        }
        return b.build();
    }

    /** The first of the order-service URLs: the one of a suite with one instance. */
    URI orderUrl() {
        return orderUrls.getFirst();
    }

    /** The first of the payment-service URLs, which the bench asks for the credit limit. */
    URI paymentUrl() {
        return paymentUrls.getFirst();
    }

    /** The first of the notification-service URLs. */
    URI notificationUrl() {
        return notificationUrls.getFirst();
    }

    /**
     * The URLs of {@code count} instances of a service whose first instance is at {@code first}: instance
     * i on its port + 100 * i, as ./run-local.sh --instances starts them.
     */
    static List<URI> instances(URI first, int count) {
        int port = SuiteProcesses.Endpoint.of(first).port();
        List<URI> urls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                urls.add(new URI(
                        first.getScheme(),
                        first.getUserInfo(),
                        first.getHost(),
                        port + 100 * i,
                        first.getPath(),
                        first.getQuery(),
                        first.getFragment()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("No URL for instance " + i + " of " + first, e);
            }
        }
        return List.copyOf(urls);
    }

    /** {@code --instances} applied to one service's URLs: a list of several is a contradiction. */
    private static List<URI> instances(String name, List<URI> urls, int count) {
        if (urls.size() > 1) {
            throw new IllegalArgumentException(
                    "--instances takes one URL per service, " + name + " gives " + urls.size());
        }
        return instances(urls.getFirst(), count);
    }

    /** The rates a run measures: the one of {@code --rate}, or the search's steps. */
    List<Integer> plannedRates() {
        return search ? steps : List.of(rate);
    }

    /** The measured seconds of one step. */
    Duration measuredDuration() {
        return search ? stepDuration : duration;
    }

    private static List<String> expand(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                out.add(arg.substring(0, eq));
                out.add(arg.substring(eq + 1));
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    private static String value(String name, Iterator<String> it) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return it.next();
    }

    private static int positiveInt(String name, String value) {
        int v = nonNegativeInt(name, value);
        if (v == 0) {
            throw new IllegalArgumentException(name + " must be above 0: " + value);
        }
        return v;
    }

    private static int nonNegativeInt(String name, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes a whole number, not " + value);
    }

    private static Duration seconds(String name, String value, boolean zeroAllowed) {
        int v = zeroAllowed ? nonNegativeInt(name, value) : positiveInt(name, value);
        return Duration.ofSeconds(v);
    }

    private static double share(String name, String value) {
        try {
            double v = Double.parseDouble(value);
            if (v >= 0 && v < 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes a share from 0 to below 1, not " + value);
    }

    private static URI url(String name, String value) {
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes an http(s) URL, not " + value);
    }

    private static List<URI> urls(String name, String value) {
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .map(v -> url(name, v))
                .toList();
    }

    private static List<Integer> steps(String value) {
        List<Integer> steps = Arrays.stream(value.split(","))
                .map(String::strip)
                .map(s -> positiveInt("--steps", s))
                .toList();
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i) <= steps.get(i - 1)) {
                throw new IllegalArgumentException("--steps must ascend: " + value);
            }
        }
        return steps;
    }

    private static String jdbcUrl(String name, String value) {
        if (!value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(name + " takes a jdbc:postgresql: URL, not " + value);
        }
        return value;
    }

    /** Mutable while the command line is read. */
    private static final class Builder {
        int rate;
        Duration duration;
        Duration warmup;
        boolean search;
        boolean cold;
        List<Integer> steps;
        Duration stepDuration;
        int refine;
        Duration p99Limit;
        Duration drain;
        Duration idle;
        int customers;
        double declineShare;
        List<URI> orderUrls;
        List<URI> paymentUrls;
        List<URI> notificationUrls;
        int instances;
        String kafka;
        String postgres;
        boolean floors;
        Duration floorDuration;
        int pgConnections;
        Path out;
        boolean help;

        Builder(BenchOptions o) {
            rate = o.rate;
            duration = o.duration;
            warmup = o.warmup;
            search = o.search;
            cold = o.cold;
            steps = o.steps;
            stepDuration = o.stepDuration;
            refine = o.refine;
            p99Limit = o.p99Limit;
            drain = o.drain;
            idle = o.idle;
            customers = o.customers;
            declineShare = o.declineShare;
            orderUrls = o.orderUrls;
            paymentUrls = o.paymentUrls;
            notificationUrls = o.notificationUrls;
            kafka = o.kafka;
            postgres = o.postgres;
            floors = o.floors;
            floorDuration = o.floorDuration;
            pgConnections = o.pgConnections;
            out = o.out;
            help = o.help;
        }

        /** The first minute after start-up, with nothing before it that would warm the services. */
        void coldStart(Set<String> given) {
            if (!given.contains("--rate")) {
                rate = 50;
            }
            if (!given.contains("--duration")) {
                duration = Duration.ofSeconds(60);
            }
            if (!given.contains("--warmup")) {
                warmup = Duration.ZERO;
            }
            if (!given.contains("--floors")) {
                floors = false;
            }
            if (!given.contains("--idle")) {
                idle = Duration.ZERO;
            }
            if (!given.contains("--customers")) {
                customers = 20;
            }
        }

        BenchOptions build() {
            return new BenchOptions(
                    rate,
                    duration,
                    warmup,
                    search,
                    cold,
                    steps,
                    stepDuration,
                    refine,
                    p99Limit,
                    drain,
                    idle,
                    customers,
                    declineShare,
                    orderUrls,
                    paymentUrls,
                    notificationUrls,
                    kafka,
                    postgres,
                    floors,
                    floorDuration,
                    pgConnections,
                    out,
                    help);
        }
    }
}

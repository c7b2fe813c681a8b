package dev.orderflow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The end-to-end benchmark of a running suite: {@code ./bench.sh --help} says what it does. It reports
 * figures and never fails because of them; it exits non-zero only when it could not measure at all.
 */
public final class Bench {

    private static final Duration PAUSE_BETWEEN_STEPS = Duration.ofSeconds(3);

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final BenchOptions options;
    /** Each service's URLs, one per instance. */
    private final Map<String, List<URI>> services = new LinkedHashMap<>();

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    /** The streams' own client: their connections stay open, the orders' are pooled. */
    private final HttpClient streamsHttp = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final List<String> notes = new ArrayList<>();
    private final String runId = Long.toString(System.currentTimeMillis() / 1000 % 2_176_782_336L, 36);

    private OrderTracker tracker;
    private OrderLoad load;
    private KafkaFloor kafka;
    private PostgresFloor postgres;
    private SuiteProcesses processes;

    Bench(BenchOptions options) {
        this.options = options;
        services.put(SuiteProcesses.ORDER, options.orderUrls());
        services.put(SuiteProcesses.PAYMENT, options.paymentUrls());
        services.put(SuiteProcesses.NOTIFICATION, options.notificationUrls());
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        int code;
        try {
            code = new Bench(options).run();
        } catch (Exception e) {
            say("Failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    static void say(String line) {
        System.out.println("bench " + CLOCK.format(LocalTime.now()) + " | " + line);
    }

    int run() throws Exception {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Map.Entry<String, List<URI>> service : services.entrySet()) {
            for (URI url : service.getValue()) {
                String problem = health(url);
                if (problem != null) {
                    say(service.getKey() + " at " + url + " is not up (" + problem + ").");
                    say("Start the suite first (./run-local.sh, or give its URLs with --order-url etc.).");
                    return 2;
                }
            }
        }
        Files.createDirectories(options.out());
        Map<String, List<SuiteProcesses.Endpoint>> endpoints = endpoints();
        processes = SuiteProcesses.find(
                Proc.system(), endpoints, ProcessHandle.current().pid());
        say("Processes: " + processes.pids()
                + (processes.missing().isEmpty() ? "" : "; not found: " + processes.missing()));
        List<Report.Startup> startup = startup();
        startup.forEach(s -> say("  " + s.service() + ": ready in " + Markdown.ms(s.readySeconds()) + " s"
                + " (application_ready_time), process "
                + Markdown.ms(s.processAgeSeconds()) + " s old"));
        long limitCents = creditLimitCents();
        say("Run " + runId + ": " + options.customers() + " customers, credit limit "
                + limitCents / 100 + "." + String.format("%02d", limitCents % 100) + " per currency, "
                + Math.round(options.declineShare() * 100) + " % of the orders above it.");
        Report.Idle idle = options.idle().isZero() ? null : idle(options.idle());
        OrderMix mix = new OrderMix(runId, options.customers(), options.declineShare(), limitCents, runId.hashCode());
        tracker = new OrderTracker();
        load = new OrderLoad(http, options.orderUrls(), mix, tracker, json);
        kafka = connectKafka();
        postgres = new PostgresFloor(options.postgres());

        List<Report.Step> steps = new ArrayList<>();
        Integer sustained = null;
        String conclusion;
        try (NotificationStreams streams =
                new NotificationStreams(streamsHttp, options.notificationUrls(), tracker, json)) {
            say("Opening a live notification stream for each customer...");
            long opening = System.nanoTime();
            NotificationStreams.Opened opened =
                    streams.open(mix.customerIds(), Duration.ofSeconds(120), this::streamSubscriptions);
            double openSeconds = Math.round((System.nanoTime() - opening) / 1e8) / 10.0;
            say(streams.size() + " streams open after " + openSeconds + " s.");
            notes.add(
                    opened == NotificationStreams.Opened.SUBSCRIBED
                            ? "The " + streams.size() + " live streams were open after " + openSeconds + " s, by"
                                    + " notification-service's count of subscriptions"
                                    + " (notifications_stream_subscriptions); it sends a stream's response headers"
                                    + " only with its first event or heartbeat (every 15 s by default), so their 200"
                                    + " answers come later."
                            : "Opening the " + streams.size() + " live streams took " + openSeconds + " s until the"
                                    + " last answered 200: notification-service sends a stream's response headers"
                                    + " only with its first event or heartbeat (every 15 s by default), not when it"
                                    + " subscribes.");

            int firstRate = options.plannedRates().getFirst();
            if (!options.warmup().isZero()) {
                say("Warm-up: " + firstRate + " orders/s for "
                        + options.warmup().toSeconds() + " s (not measured)...");
                step(firstRate, options.warmup(), false);
                pause();
            }
            if (!options.search()) {
                Report.Step step = step(options.rate(), options.duration(), true);
                steps.add(step);
                conclusion = (options.cold()
                                ? "Cold start: "
                                        + Markdown.startedAfter(step.processes().serviceAgesAtStartSeconds(), startup)
                                        + " "
                                : "")
                        + "At " + step.offeredRate() + " orders/s for " + Markdown.num(step.seconds()) + " s: "
                        + summary(step) + ". "
                        + (step.verdict().passed()
                                ? "Sustained (p99 under " + options.p99Limit().toMillis() + " ms, no errors, no growing"
                                        + " backlog)."
                                : "Not sustained: "
                                        + String.join("; ", step.verdict().reasons()) + ".");
                sustained = step.verdict().passed() ? step.offeredRate() : null;
            } else {
                // Latency need not grow with the rate: consumers and relays batch more as it rises, so a
                // step that misses the p99 limit but keeps up is followed by the next one. The search stops
                // at a step that does not keep up, or at the second miss in a row.
                Integer failed = null;
                Report.Step failure = null;
                int missesInRow = 0;
                for (int rate : options.steps()) {
                    Report.Step step = step(rate, options.stepDuration(), true);
                    steps.add(step);
                    if (step.verdict().passed()) {
                        sustained = rate;
                        failed = null;
                        failure = null;
                        missesInRow = 0;
                    } else {
                        if (failed == null) {
                            failed = rate;
                            failure = step;
                        }
                        if (!step.verdict().keptUp() || ++missesInRow == StepSearch.MISSES_IN_ROW) {
                            break;
                        }
                    }
                    pause();
                }
                for (int i = 0; i < options.refine() && failed != null && sustained != null; i++) {
                    OptionalInt between = StepSearch.between(sustained, failed);
                    if (between.isEmpty()) {
                        break;
                    }
                    pause();
                    Report.Step step = step(between.getAsInt(), options.stepDuration(), true);
                    steps.add(step);
                    if (step.verdict().passed()) {
                        sustained = step.offeredRate();
                    } else {
                        failed = step.offeredRate();
                        failure = step;
                    }
                }
                conclusion = searchConclusion(steps, sustained, failure);
            }
            if (streams.reconnects.sum() > 0) {
                notes.add("Live streams reconnected " + streams.reconnects.sum() + " time(s), resuming with"
                        + " Last-Event-ID; what they missed arrived late and counts late.");
            }
            if (streams.unreadable.sum() > 0) {
                notes.add(streams.unreadable.sum() + " stream event(s) had no readable orderId.");
            }
        }

        List<KafkaFloor.Result> kafkaFloors = new ArrayList<>();
        PostgresFloor.Result postgresFloor = null;
        if (options.floors()) {
            kafkaFloors = kafkaFloors(steps);
            say("PostgreSQL floor: " + options.pgConnections() + " connections committing for "
                    + options.floorDuration().toSeconds() + " s...");
            postgresFloor = postgres.measure(runId, options.pgConnections(), options.floorDuration());
            say("  "
                    + (postgresFloor.commitsPerSecond() == null
                            ? "n/a"
                            : Markdown.num(postgresFloor.commitsPerSecond()))
                    + " commits/s, commit p50 "
                    + Markdown.ms(postgresFloor.commit().p50()) + " ms, p99 "
                    + Markdown.ms(postgresFloor.commit().p99()) + " ms"
                    + (postgresFloor.error() == null ? "" : " (" + postgresFloor.error() + ")"));
        }
        List<Report.Step> withRatios = new ArrayList<>();
        for (Report.Step step : steps) {
            KafkaFloor.Result floor = kafkaFloors.stream()
                    .filter(k -> k.rate() == step.offeredRate())
                    .findFirst()
                    .orElse(null);
            withRatios.add(step.withRatios(Report.Ratios.of(step, floor, postgresFloor)));
        }
        if (kafka != null) {
            kafka.close();
        }
        addNotes(withRatios);

        Report report = new Report(
                runId,
                started.toString(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                options.search() ? "search" : "fixed",
                new Report.Settings(
                        options.plannedRates(),
                        options.measuredDuration().toSeconds(),
                        options.warmup().toSeconds(),
                        options.p99Limit().toMillis(),
                        options.customers(),
                        options.declineShare(),
                        options.cold(),
                        options.idle().toSeconds(),
                        joined(options.orderUrls()),
                        joined(options.paymentUrls()),
                        joined(options.notificationUrls()),
                        options.kafka(),
                        options.postgres()),
                SuiteProcesses.PROCESSES.stream()
                        .map(name -> Report.Process.of(
                                name,
                                processes.pids().getOrDefault(name, List.of()),
                                processes.missing().get(name),
                                endpoints.getOrDefault(name, List.of()).size()))
                        .toList(),
                startup,
                idle,
                withRatios,
                sustained,
                conclusion,
                kafkaFloors,
                postgresFloor,
                notes);
        write(report);
        say(conclusion);
        say("Report: " + options.out().resolve("report.md") + ", "
                + options.out().resolve("report.json") + ", " + options.out().resolve("latency.png"));
        return 0;
    }

    /** Holds {@code rate} for {@code duration}, waits for the outcomes, and reads what the services saw. */
    private Report.Step step(int rate, Duration duration, boolean measured) throws Exception {
        if (measured) {
            say("Step: " + rate + " orders/s for " + duration.toSeconds() + " s...");
        }
        StepStats stats = new StepStats(rate, measured);
        Map<String, Prometheus> before = scrape();
        long scrapedAt = System.nanoTime();
        AtomicReference<Map<String, Long>> commitsFrom = new AtomicReference<>(Map.of());
        AtomicLong commitsFromAt = new AtomicLong();
        MachineCpu.Reading cpuFrom = MachineCpu.read();
        Map<String, Double> ages = processes.serviceAges();
        SuiteProcesses.Reading processesFrom = processes.read();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("bench-sampler").daemon().factory());
        stats.startedAt = System.nanoTime();
        sampler.scheduleAtFixedRate(() -> stats.sampleBacklog(System.nanoTime()), 500, 500, TimeUnit.MILLISECONDS);
        // The services' commits are counted from a quarter into the step (at most 5 s), once under load: a
        // busy backend reports its commits every second, an idle one only after up to 10 s.
        long countFrom = Math.min(Duration.ofSeconds(5).toMillis(), duration.toMillis() / 4);
        sampler.schedule(
                () -> {
                    commitsFrom.set(commits());
                    commitsFromAt.set(System.nanoTime());
                },
                countFrom,
                TimeUnit.MILLISECONDS);

        long sent = OpenLoop.run(rate, duration, due -> load.send(due, stats));

        stats.sendingEndedAt = System.nanoTime();
        MachineCpu.Reading cpuTo = MachineCpu.read();
        SuiteProcesses.Reading processesTo = processes.read();
        Map<String, Long> commitsTo = commits();
        long commitsToAt = System.nanoTime();
        sampler.shutdownNow();
        Map<String, Long> lag = kafka == null ? Map.of() : kafka.consumerLag();
        long deadline = System.nanoTime() + options.drain().toNanos();
        while (stats.outstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        stats.close();
        tracker.forget(stats);
        Map<String, Prometheus> after = scrape();
        double window = (System.nanoTime() - scrapedAt) / 1e9;
        ProcessFigures processFigures = new ProcessFigures(
                SuiteProcesses.msPerOrder(processesFrom, processesTo, sent, processes.ticksPerSecond()),
                processes.rssMib(),
                ages,
                SuiteProcesses.jitMsPerOrder(processesFrom, processesTo, sent, processes.ticksPerSecond()));

        double seconds = (stats.sendingEndedAt - stats.startedAt) / 1e9;
        double achieved = Math.round(sent / seconds * 10) / 10.0;
        List<ServiceFigures> figures = new ArrayList<>();
        services.keySet()
                .forEach(name -> figures.add(ServiceFigures.of(name, before.get(name), after.get(name), window)));
        Double commitsPerSecond = null;
        Double commitsPerOrder = null;
        if (!commitsFrom.get().isEmpty() && !commitsTo.isEmpty() && commitsToAt > commitsFromAt.get()) {
            long count = 0;
            for (Map.Entry<String, Long> e : commitsTo.entrySet()) {
                count += e.getValue() - commitsFrom.get().getOrDefault(e.getKey(), e.getValue());
            }
            double perSecond = count / ((commitsToAt - commitsFromAt.get()) / 1e9);
            commitsPerSecond = (double) Math.round(perSecond);
            commitsPerOrder = Math.round(perSecond / achieved * 100) / 100.0;
        }
        Latency accepted = Latency.of(stats.accepted);
        Latency outcome = Latency.of(stats.outcome);
        Latency sendDelay = Latency.of(stats.sendDelay);
        double growth = StepSearch.backlogGrowth(stats.backlogSamples());
        StepSearch.Verdict verdict =
                StepSearch.judge(rate, accepted, outcome, stats.errors(), growth, sendDelay, options.p99Limit());
        Report.Step step = new Report.Step(
                rate,
                Math.round(seconds * 10) / 10.0,
                achieved,
                sent,
                stats.acceptedCount.sum(),
                stats.confirmed.sum(),
                stats.rejected.sum(),
                stats.errors(),
                stats.errorCounts(),
                accepted,
                Latency.of(stats.acceptedUncorrected),
                Latency.of(stats.placed),
                outcome,
                sendDelay,
                stats.backlogSamples().stream().mapToLong(s -> s[1]).max().orElse(0),
                Math.round(growth * 10) / 10.0,
                lag,
                figures,
                commitsPerSecond,
                commitsPerOrder,
                MachineCpu.busyShare(cpuFrom, cpuTo),
                MachineCpu.benchCores(cpuFrom, cpuTo, seconds),
                processFigures,
                verdict,
                null);
        if (measured) {
            say("  " + summary(step) + " -> "
                    + (verdict.passed() ? "sustained" : "not sustained: " + String.join("; ", verdict.reasons())));
            say("  processor ms/order: " + Markdown.figures(processFigures.cpuMsPerOrder()));
            say("  RSS MiB: " + Markdown.figures(processFigures.rssMib()));
        }
        return step;
    }

    private static String summary(Report.Step step) {
        return "POST->202 p50/p90/p99/max " + Markdown.ms(step.postTo202().p50()) + "/"
                + Markdown.ms(step.postTo202().p90()) + "/"
                + Markdown.ms(step.postTo202().p99()) + "/"
                + Markdown.ms(step.postTo202().max()) + " ms, POST->outcome "
                + Markdown.ms(step.postToOutcome().p50())
                + "/" + Markdown.ms(step.postToOutcome().p90()) + "/"
                + Markdown.ms(step.postToOutcome().p99()) + "/"
                + Markdown.ms(step.postToOutcome().max()) + " ms, " + step.errors() + " error(s)"
                + (step.errorKinds().isEmpty() ? "" : " " + step.errorKinds());
    }

    private String searchConclusion(List<Report.Step> steps, Integer sustained, Report.Step failure) {
        StringBuilder text = new StringBuilder();
        if (sustained == null) {
            text.append("No rate tried was sustained.");
        } else {
            Report.Step best = steps.stream()
                    .filter(s -> s.offeredRate() == sustained)
                    .findFirst()
                    .orElseThrow();
            text.append("Highest sustained rate: **")
                    .append(sustained)
                    .append(" orders/s** (p99 under ")
                    .append(options.p99Limit().toMillis())
                    .append(" ms, no errors, no growing backlog): ")
                    .append(summary(best))
                    .append('.');
        }
        if (failure != null) {
            text.append(" At ")
                    .append(failure.offeredRate())
                    .append(" orders/s: ")
                    .append(String.join("; ", failure.verdict().reasons()))
                    .append('.');
        } else if (sustained != null) {
            text.append(" Every rate tried was sustained: try higher --steps.");
        }
        return text.toString();
    }

    /** Where the processes of each part of the suite listen, as the options say. */
    private Map<String, List<SuiteProcesses.Endpoint>> endpoints() {
        Map<String, List<SuiteProcesses.Endpoint>> endpoints = new LinkedHashMap<>();
        services.forEach((name, urls) -> endpoints.put(
                name, urls.stream().map(SuiteProcesses.Endpoint::of).toList()));
        endpoints.put(SuiteProcesses.KAFKA, SuiteProcesses.Endpoint.ofBootstrap(options.kafka()));
        endpoints.put(SuiteProcesses.POSTGRES, List.of(SuiteProcesses.Endpoint.ofJdbc(options.postgres())));
        return endpoints;
    }

    private static String joined(List<URI> urls) {
        return String.join(",", urls.stream().map(URI::toString).toList());
    }

    /** Each service's ready time and the age of its process, now. */
    private List<Report.Startup> startup() {
        Map<String, Prometheus> scrapes = scrape();
        Map<String, Double> ages = processes.serviceAges();
        List<Report.Startup> startup = new ArrayList<>();
        services.keySet().forEach(name -> {
            double ready = scrapes.get(name).max("application_ready_time_seconds", labels -> true);
            startup.add(new Report.Startup(
                    name, Double.isNaN(ready) ? null : Math.round(ready * 1000) / 1000.0, ages.get(name)));
        });
        return startup;
    }

    /** The suite's processor time while nothing is asked of it. */
    private Report.Idle idle(Duration duration) throws InterruptedException {
        if (processes.pids().keySet().stream().noneMatch(SuiteProcesses.SUITE_PARTS::contains)) {
            notes.add("The idle cost was not measured: no process of the suite was found on this machine.");
            return null;
        }
        say("Idle: the processes' processor time for " + duration.toSeconds() + " s, before any stream or order...");
        SuiteProcesses.Reading from = processes.read();
        Thread.sleep(duration.toMillis());
        SuiteProcesses.Reading to = processes.read();
        Map<String, Double> percent = SuiteProcesses.corePercent(from, to, processes.ticksPerSecond());
        say("  % of one core: " + Markdown.figures(percent));
        return new Report.Idle(Math.round((to.nanos() - from.nanos()) / 1e8) / 10.0, percent);
    }

    private List<KafkaFloor.Result> kafkaFloors(List<Report.Step> steps) {
        List<KafkaFloor.Result> results = new ArrayList<>();
        if (kafka == null) {
            notes.add("The Kafka floor was not measured: no broker answered at " + options.kafka() + ".");
            return results;
        }
        String topic;
        try {
            topic = kafka.createTopic(runId);
        } catch (Exception e) {
            notes.add("The Kafka floor was not measured: could not create its topic (" + e + ").");
            return results;
        }
        try {
            for (int rate : steps.stream()
                    .map(Report.Step::offeredRate)
                    .sorted()
                    .distinct()
                    .toList()) {
                say("Kafka floor: " + rate + " records/s for "
                        + options.floorDuration().toSeconds() + " s...");
                KafkaFloor.Result result = kafka.measure(topic, rate, options.floorDuration(), Duration.ofSeconds(10));
                results.add(result);
                say("  p50/p90/p99/max " + Markdown.ms(result.latency().p50()) + "/"
                        + Markdown.ms(result.latency().p90()) + "/"
                        + Markdown.ms(result.latency().p99()) + "/"
                        + Markdown.ms(result.latency().max()) + " ms, " + result.received() + " of " + result.sent()
                        + " received" + (result.error() == null ? "" : " (" + result.error() + ")"));
            }
        } finally {
            kafka.deleteTopic(topic);
        }
        return results;
    }

    private void addNotes(List<Report.Step> steps) {
        notes.add("Latencies are taken from each order's scheduled send time (open loop, no coordinated"
                + " omission); 'uncorrected' is from the moment the request was actually sent.");
        notes.add("The live stream takes one customer (customerId is required; there is no stream of everyone's"
                + " notifications), so the bench holds one stream per customer: " + options.customers() + ".");
        notes.add("Everything shares this machine: the bench, the broker, PostgreSQL and the three services on "
                + Runtime.getRuntime().availableProcessors() + " processor(s).");
        if (services.values().stream().anyMatch(urls -> urls.size() > 1)
                || SuiteProcesses.Endpoint.ofBootstrap(options.kafka()).size() > 1) {
            notes.add("Instances: order-service " + options.orderUrls().size() + ", payment-service "
                    + options.paymentUrls().size() + ", notification-service "
                    + options.notificationUrls().size()
                    + "; brokers listed: "
                    + SuiteProcesses.Endpoint.ofBootstrap(options.kafka()).size() + ". The"
                    + " orders went to the order-service instances in turn; customer k's live stream to"
                    + " notification-service instance k mod their number. A service's figures from"
                    + " /actuator/prometheus add up its instances' series (maxima and the ready time: the"
                    + " largest of them); the credit limit is asked of the first payment-service instance.");
        }
        boolean listenerPercentiles = steps.stream()
                .flatMap(s -> s.services().stream())
                .anyMatch(f -> f.listener() != null && f.listener().p99Ms() != null);
        boolean listenerTimer =
                steps.stream().flatMap(s -> s.services().stream()).anyMatch(f -> f.listener() != null);
        if (listenerTimer && !listenerPercentiles) {
            notes.add("Spring Kafka's listener timer (spring.kafka.listener) has no histogram buckets, so only its"
                    + " mean and max are shown; management.metrics.distribution.percentiles-histogram"
                    + ".spring.kafka.listener=true would add them.");
        }
        long unmatched = tracker.unmatched();
        if (unmatched > 0) {
            notes.add(unmatched + " notification(s) arrived for orders without a 202 in time (or abandoned ones).");
        }
        notes.add("Consumer lag is read once, when a step stops sending; the backlog (orders sent and still"
                + " without an outcome) every 0.5 s.");
        steps.stream()
                .mapToLong(Report.Step::sent)
                .filter(n -> n > 0)
                .min()
                .ifPresent(fewest -> notes.add("Processor time from /proc comes in clock ticks of "
                        + Markdown.num(1000.0 / processes.ticksPerSecond())
                        + " ms: per order, a step of " + fewest + " orders resolves "
                        + Markdown.num(1000.0 / processes.ticksPerSecond() / fewest) + " ms. It is counted while the"
                        + " step sends, as the machine's busy share is: what the last orders cost after that is"
                        + " left out."));
    }

    private void write(Report report) throws IOException {
        Path out = options.out();
        JsonMapper pretty =
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(out.resolve("report.json"), pretty.writeValueAsString(report));
        Files.writeString(out.resolve("report.md"), Markdown.render(report, "latency.png"));
        LatencyChart.write(out.resolve("latency.png"), report, options.p99Limit());
    }

    private void pause() throws InterruptedException {
        Thread.sleep(PAUSE_BETWEEN_STEPS.toMillis());
    }

    /** Null if the service answers UP, otherwise what is wrong. */
    private String health(URI base) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(base.resolve("/actuator/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200
                    && "UP".equals(json.readTree(response.body()).path("status").asString(""))) {
                return null;
            }
            return "health answered " + response.statusCode();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** payment-service's credit limit, which a customer has in each currency. */
    private long creditLimitCents() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(options.paymentUrl()
                                .resolve("/api/customers/" + OrderMix.customerId(runId, 0) + "/credit?currency=EUR"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("payment-service answered " + response.statusCode() + " for a credit");
        }
        return json.readTree(response.body())
                .path("limit")
                .decimalValue()
                .movePointRight(2)
                .longValueExact();
    }

    private KafkaFloor connectKafka() {
        KafkaFloor floor = new KafkaFloor(options.kafka());
        if (!floor.answers()) {
            say("No Kafka broker answers at " + options.kafka() + ": no consumer lag and no Kafka floor.");
            floor.close();
            return null;
        }
        return floor;
    }

    /** The services' commits so far, by database; empty if the server cannot be asked. */
    private Map<String, Long> commits() {
        try {
            return postgres.commitsByDatabase();
        } catch (SQLException e) {
            return Map.of();
        }
    }

    /** Each service's scrape; of a service with several instances, theirs together ({@link Prometheus#merge}). */
    private Map<String, Prometheus> scrape() {
        Map<String, Prometheus> scrapes = new LinkedHashMap<>();
        services.forEach((name, urls) -> scrapes.put(
                name, Prometheus.merge(urls.stream().map(this::scrape).toList())));
        return scrapes;
    }

    private Prometheus scrape(URI base) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(base.resolve("/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Prometheus.parse(response.body()) : Prometheus.empty();
        } catch (IOException e) {
            return Prometheus.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Prometheus.empty();
        }
    }

    /** notification-service's count of its open live streams, of all its instances; null if one does not say. */
    private Double streamSubscriptions() {
        double count = 0;
        for (URI url : options.notificationUrls()) {
            Prometheus scrape = scrape(url);
            if (!scrape.has("notifications_stream_subscriptions")) {
                return null;
            }
            count += scrape.sum("notifications_stream_subscriptions");
        }
        return count;
    }
}

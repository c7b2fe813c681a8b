package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MarkdownUnitTest {

    private static Report.Step step(int rate, double outcomeP99, boolean passed) {
        Latency accepted = new Latency(1000, 4.0, 3.5, 6.0, 12.25, 14.0, 30.0);
        Latency outcome = new Latency(1000, 60.0, 55.0, 80.0, outcomeP99, outcomeP99, outcomeP99 + 10);
        ServiceFigures payment = new ServiceFigures(
                "payment-service",
                0.42,
                new ServiceFigures.Timing(1000, 9.5, 8.0, 12.0, 30.0, 41.0),
                new ServiceFigures.Timing(1000, 6.25, null, null, null, 20.0),
                null,
                0.01,
                3.2,
                12.0,
                0L);
        Report.Step step = new Report.Step(
                rate,
                20,
                rate,
                rate * 20L,
                rate * 20L,
                rate * 18L,
                rate * 2L,
                passed ? 0 : 3,
                passed ? Map.of() : Map.of("HTTP 503", 3L),
                accepted,
                accepted,
                outcome,
                outcome,
                new Latency(1000, 0.1, 0.1, 0.1, 0.2, 0.2, 1.0),
                40,
                0.5,
                Map.of("payment-service", 12L),
                List.of(payment),
                2000.0,
                5.0,
                0.9,
                0.3,
                processes(rate),
                StepSearch.judge(rate, accepted, outcome, passed ? 0 : 3, 0.5, Latency.empty(), Duration.ofMillis(250)),
                null);
        return step;
    }

    /** order-service's processor time per order falls as the rate rises; PostgreSQL was not found. */
    private static ProcessFigures processes(int rate) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("order-service", 100.0 / rate);
        cpu.put("payment-service", 0.75);
        cpu.put("notification-service", 0.5);
        cpu.put("kafka", 0.25);
        cpu.put("postgresql", null);
        cpu.put("bench", 0.3);
        cpu.put("suite", null);
        Map<String, Double> rss = new LinkedHashMap<>();
        rss.put("order-service", 310.5);
        rss.put("payment-service", 298.0);
        rss.put("notification-service", 280.25);
        rss.put("kafka", 512.0);
        rss.put("bench", 120.0);
        Map<String, Double> ages = new LinkedHashMap<>();
        ages.put("order-service", 61.0 + rate);
        ages.put("payment-service", 60.0 + rate);
        ages.put("notification-service", null);
        Map<String, Double> jit = new LinkedHashMap<>();
        jit.put("order-service", 20.0 / rate);
        jit.put("payment-service", 0.1);
        jit.put("notification-service", null);
        return new ProcessFigures(cpu, rss, ages, jit);
    }

    private static Report report() {
        KafkaFloor.Result kafka100 =
                new KafkaFloor.Result(100, 1000, 1000, new Latency(1000, 2.0, 2.0, 3.0, 5.0, 5.0, 9.0), null);
        PostgresFloor.Result pg = new PostgresFloor.Result(
                4, 10, 40000, 4000.0, new Latency(40000, 1.0, 0.9, 1.5, 3.0, 4.0, 20.0), Map.of("fsync", "off"), null);
        Report.Step first = step(100, 120.0, true);
        Report.Step second = step(200, 300.0, false);
        return new Report(
                "abc123",
                "2026-11-28T16:00:00Z",
                "2026-11-28T16:05:00Z",
                "search",
                new Report.Settings(
                        List.of(100, 200),
                        20,
                        10,
                        250,
                        1000,
                        0.1,
                        false,
                        20,
                        "http://localhost:8080",
                        "http://localhost:8081",
                        "http://localhost:8082",
                        "localhost:9092",
                        "jdbc:postgresql://x/postgres"),
                List.of(
                        Report.Process.of("order-service", List.of(6391L), null, 1),
                        Report.Process.of("payment-service", List.of(6392L), null, 1),
                        Report.Process.of("notification-service", List.of(6394L), null, 1),
                        Report.Process.of("kafka", List.of(6250L), null, 1),
                        Report.Process.of("postgresql", List.of(), "db is not this machine", 1),
                        Report.Process.of("bench", List.of(7000L), null, 0)),
                List.of(
                        new Report.Startup("order-service", 12.5, 161.0),
                        new Report.Startup("payment-service", null, 160.0),
                        new Report.Startup("notification-service", 11.0, null)),
                new Report.Idle(20, idle()),
                List.of(
                        first.withRatios(Report.Ratios.of(first, kafka100, pg)),
                        second.withRatios(Report.Ratios.of(second, null, pg))),
                100,
                "Highest sustained rate: **100 orders/s**.",
                List.of(kafka100),
                pg,
                List.of("A note."));
    }

    @Test
    void rendersTheConclusionTheChartAndARowPerStep() {
        String md = Markdown.render(report(), "latency.png");

        assertThat(md).contains("Highest sustained rate: **100 orders/s**.");
        assertThat(md).contains("![latency against offered rate](latency.png)");
        assertThat(md)
                .contains("| 100 | 100 | 2000 | 0 | 3.50 | 6 | 12.3 | 30 | 55 | 80 | 120 | 130 | 0.50 | sustained |");
        assertThat(md).contains("| 200 | 200 | 4000 | 3 |");
        assertThat(md).contains("**not sustained**: 3 error(s); p99 POST to outcome notification 300.0 ms > 250 ms");
        assertThat(md).contains("| 200 | 3600 | 400 | HTTP 503: 3 | 55 / 300 | 12.3 | 0.20 | 90 % | 0.30 |");
        assertThat(md).contains("- A note.");
    }

    @Test
    void rendersTheServicesFiguresAndTheFloorsWithTheirRatios() {
        String md = Markdown.render(report(), "latency.png");

        assertThat(md)
                .contains(
                        "| 100 | payment-service | 0.42 | 9.50 / 8 / 30 / 41 | 6.25 / – / 20 |  | 0.01 / 3.20 | 12 |");
        // outcome p50 55 ms over the Kafka p50 of 2 ms; p99 120 over 5
        assertThat(md).contains("| 100 | 1000 | 1000 | 2 | 3 | 5 | 9 | 27.5× | 24× |  |");
        assertThat(md).contains("**4000 commits/s**");
        assertThat(md).contains("Server: fsync: off.");
        // 2000 of the 4000 commits/s the floor reached
        assertThat(md).contains("| 100 | 2000 | 5 | 50 % |");
    }

    private static Map<String, Double> idle() {
        Map<String, Double> idle = new LinkedHashMap<>();
        idle.put("order-service", 0.5);
        idle.put("payment-service", 0.75);
        idle.put("notification-service", 1.25);
        idle.put("kafka", 3.0);
        idle.put("postgresql", null);
        idle.put("bench", 0.1);
        idle.put("services", 2.5);
        return idle;
    }

    @Test
    void rendersTheProcessesAndTheirStartUpInTheHeader() {
        String md = Markdown.render(report(), "latency.png");
        String header = md.substring(0, md.indexOf("## Result"));

        assertThat(header)
                .contains("Processes, found by the port each listens on: order-service pid 6391, payment-service pid"
                        + " 6392, notification-service pid 6394, Kafka broker pid 6250, bench pid 7000; not found:"
                        + " PostgreSQL (db is not this machine).");
        assertThat(header)
                .contains("order-service ready in 12.5 s, 161 s old; payment-service ready in n/a s, 160 s old;"
                        + " notification-service ready in 11 s, age n/a.");
    }

    @Test
    void rendersEachProcesssTimePerOrderItsMemoryAndTheIdleCost() {
        String md = Markdown.render(report(), "latency.png");

        assertThat(md)
                .contains("| offered /s | order-service | payment-service | notification-service | Kafka broker"
                        + " | PostgreSQL | suite | bench | age of order- / payment- / notification-service at the"
                        + " step's start (s) |");
        assertThat(md).contains("| 100 | 1 | 0.75 | 0.50 | 0.25 | n/a | **n/a** | 0.30 | 161 / 160 / n/a |");
        assertThat(md).contains("| 200 | 0.50 | 0.75 | 0.50 | 0.25 | n/a | **n/a** | 0.30 | 261 / 260 / n/a |");
        assertThat(md).contains("| 200 | 311 | 298 | 280 | 512 | 120 |");
        assertThat(md)
                .contains("| offered /s | order-service JIT | payment-service JIT | notification-service JIT"
                        + " | PostgreSQL transactions per order |");
        assertThat(md).contains("| 100 | 0.20 | 0.10 | n/a | 5 |");
        assertThat(md).contains("| 200 | 0.10 | 0.10 | n/a | 5 |");
        assertThat(md).contains("Idle: processor time over 20 s before any stream or order");
        assertThat(md)
                .contains("| order-service | payment-service | notification-service | services together"
                        + " | Kafka broker | PostgreSQL | bench |");
        assertThat(md).contains("| 0.50 % | 0.75 % | 1.25 % | **2.50 %** | 3 % | n/a | 0.10 % |");
    }

    private static Report withoutIdle(double idleSeconds) {
        Report r = report();
        Report.Settings t = r.settings();
        Report.Settings settings = new Report.Settings(
                t.plannedRates(),
                t.secondsPerStep(),
                t.warmupSeconds(),
                t.p99LimitMs(),
                t.customers(),
                t.declineShare(),
                true,
                idleSeconds,
                t.orderUrl(),
                t.paymentUrl(),
                t.notificationUrl(),
                t.kafka(),
                t.postgres());
        return with(r, "fixed", settings, r.processes(), null);
    }

    private static Report with(
            Report r, String mode, Report.Settings settings, List<Report.Process> processes, Report.Idle idle) {
        return new Report(
                r.runId(),
                r.startedAt(),
                r.finishedAt(),
                mode,
                settings,
                processes,
                r.startup(),
                idle,
                r.steps(),
                r.maxSustainedRate(),
                r.conclusion(),
                r.kafkaFloors(),
                r.postgresFloor(),
                r.notes());
    }

    @Test
    void countsTheInstancesAndBrokersOfACluster() {
        Report r = report();
        List<Report.Process> cluster = List.of(
                Report.Process.of("order-service", List.of(6391L, 6491L), null, 2),
                Report.Process.of("payment-service", List.of(6392L), "nothing here listens on port 8181", 2),
                Report.Process.of("notification-service", List.of(6394L, 6494L), null, 2),
                Report.Process.of("kafka", List.of(6250L, 6251L, 6252L), null, 3),
                Report.Process.of("postgresql", List.of(6288L), null, 1),
                Report.Process.of("bench", List.of(7000L), null, 0));

        String md = Markdown.render(with(r, r.mode(), r.settings(), cluster, r.idle()), "latency.png");

        assertThat(md)
                .contains("Processes, found by the port each listens on: order-service pids 6391 6491 (2 instances),"
                        + " payment-service pid 6392 (1 of 2 instances), notification-service pids 6394 6494"
                        + " (2 instances), Kafka pids 6250 6251 6252 (3 brokers), PostgreSQL pid 6288 with its"
                        + " backends, bench pid 7000; not found: payment-service (nothing here listens on port"
                        + " 8181).");
        assertThat(md).contains("its resident memory is that of its largest process");
        assertThat(Markdown.render(r, "latency.png")).doesNotContain("its largest process");
        JsonNode json = JsonMapper.builder().build().valueToTree(cluster.get(3));
        assertThat(json.path("pid").asLong()).isEqualTo(6250L);
        assertThat(json.path("pids").size()).isEqualTo(3);
        assertThat(json.path("given").asInt()).isEqualTo(3);
    }

    @Test
    void saysWhenNoIdleCostWasMeasuredAndWhenAStepBeganAfterStartUp() {
        Report r = report();

        assertThat(Markdown.render(withoutIdle(0), "latency.png"))
                .contains("cold start (`--cold`), fixed rate against")
                .contains("Idle: not measured (`--idle 0`).");
        assertThat(Markdown.render(withoutIdle(20), "latency.png"))
                .contains("Idle: not measured (no process of the suite was found on this machine).");
        // order-service ready 12.5 s after its start, the step 161 s after it
        assertThat(Markdown.startedAfter(r.steps().getFirst().processes().serviceAgesAtStartSeconds(), r.startup()))
                .isEqualTo("the step began 161 s after order-service's process started (about 149 s after it was"
                        + " ready), 160 s after payment-service's process started, n/a after notification-service's"
                        + " (its process was not found).");
    }

    @Test
    void writesTheProcessFiguresToJsonWithNullsWhereUnknown() {
        JsonNode json = JsonMapper.builder().build().valueToTree(report());

        assertThat(json.path("processes").get(4).path("missing").asString()).isEqualTo("db is not this machine");
        assertThat(json.path("startup").get(0).path("readySeconds").asDouble()).isEqualTo(12.5);
        assertThat(json.path("idle").path("corePercent").path("services").asDouble())
                .isEqualTo(2.5);
        JsonNode step = json.path("steps").get(1).path("processes");
        assertThat(step.path("cpuMsPerOrder").path("order-service").asDouble()).isEqualTo(0.5);
        assertThat(step.path("cpuMsPerOrder").path("suite").isNull()).isTrue();
        assertThat(step.path("rssMib").path("kafka").asDouble()).isEqualTo(512.0);
        assertThat(step.path("serviceAgesAtStartSeconds")
                        .path("payment-service")
                        .asDouble())
                .isEqualTo(260.0);
        assertThat(json.path("settings").path("idleSeconds").asDouble()).isEqualTo(20.0);
    }

    @Test
    void drawsTheChartAsAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("latency.png");

        LatencyChart.write(png, report(), Duration.ofMillis(250));

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(10_000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PNG");
    }
}

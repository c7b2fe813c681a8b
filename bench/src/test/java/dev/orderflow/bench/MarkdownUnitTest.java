package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                StepSearch.judge(rate, accepted, outcome, passed ? 0 : 3, 0.5, Latency.empty(), Duration.ofMillis(250)),
                null);
        return step;
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
                        "http://localhost:8080",
                        "http://localhost:8081",
                        "http://localhost:8082",
                        "localhost:9092",
                        "jdbc:postgresql://x/postgres"),
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

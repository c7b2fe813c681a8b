package dev.orderflow.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Renders a {@link Report} as report.md: the figures a reader looks for first, then the detail. */
final class Markdown {

    private Markdown() {}

    static String render(Report r, String chartFile) {
        StringBuilder md = new StringBuilder();
        md.append("# orderflow end-to-end benchmark\n\n");
        md.append("Run `")
                .append(r.runId())
                .append("`, ")
                .append(r.startedAt())
                .append(" to ")
                .append(r.finishedAt());
        md.append(", ")
                .append(r.mode().equals("search") ? "step search" : "fixed rate")
                .append(" against ")
                .append(r.settings().orderUrl())
                .append(", ")
                .append(r.settings().paymentUrl())
                .append(", ")
                .append(r.settings().notificationUrl())
                .append(". ")
                .append(r.settings().customers())
                .append(" customers, ")
                .append(pct(r.settings().declineShare()))
                .append(" of the orders above the credit limit (to be declined); ")
                .append(num(r.settings().secondsPerStep()))
                .append(" s per step after ")
                .append(num(r.settings().warmupSeconds()))
                .append(" s of warm-up.\n\n");

        md.append("## Result\n\n");
        md.append(r.conclusion()).append("\n\n");
        md.append("![latency against offered rate](").append(chartFile).append(")\n\n");

        md.append("## Latency by offered rate\n\n");
        md.append("Milliseconds from each order's *scheduled* send (open loop: late answers cannot delay later"
                + " sends, so they cannot hide latency).\n\n");
        md.append("| offered /s | achieved /s | sent | errors | POST→202 p50 | p90 | p99 | max"
                + " | POST→outcome p50 | p90 | p99 | max | backlog growth /s | verdict |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Report.Step s : r.steps()) {
            md.append("| ")
                    .append(s.offeredRate())
                    .append(" | ")
                    .append(num(s.achievedRate()))
                    .append(" | ")
                    .append(s.sent())
                    .append(" | ")
                    .append(s.errors())
                    .append(" | ")
                    .append(percentiles(s.postTo202()))
                    .append(" | ")
                    .append(percentiles(s.postToOutcome()))
                    .append(" | ")
                    .append(num(s.backlogGrowthPerSecond()))
                    .append(" | ")
                    .append(
                            s.verdict().passed()
                                    ? "sustained"
                                    : "**not sustained**: "
                                            + String.join("; ", s.verdict().reasons()))
                    .append(" |\n");
        }
        md.append('\n');
        md.append("| offered /s | confirmed | rejected | errors by kind | POST→ORDER_PLACED p50 / p99"
                + " | POST→202 uncorrected p99 | bench send delay p99 | machine CPU busy | bench CPU cores"
                + " | consumer lag at end |\n");
        md.append("|---:|---:|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Report.Step s : r.steps()) {
            md.append("| ")
                    .append(s.offeredRate())
                    .append(" | ")
                    .append(s.confirmed())
                    .append(" | ")
                    .append(s.rejected())
                    .append(" | ")
                    .append(s.errorKinds().isEmpty() ? "none" : map(s.errorKinds()))
                    .append(" | ")
                    .append(ms(s.postToPlaced().p50()))
                    .append(" / ")
                    .append(ms(s.postToPlaced().p99()))
                    .append(" | ")
                    .append(ms(s.postTo202Uncorrected().p99()))
                    .append(" | ")
                    .append(ms(s.sendDelay().p99()))
                    .append(" | ")
                    .append(pct(s.machineCpuBusy()))
                    .append(" | ")
                    .append(s.benchCpuCores() == null ? "n/a" : num(s.benchCpuCores()))
                    .append(" | ")
                    .append(s.consumerLagAtEnd().isEmpty() ? "n/a" : map(s.consumerLagAtEnd()))
                    .append(" |\n");
        }

        md.append("\n## Where the time goes: the services' own figures\n\n");
        md.append("From `/actuator/prometheus` before and after each step (means and, where the timer has"
                + " histogram buckets, percentiles over exactly that window; max is Micrometer's maximum of"
                + " about the last two minutes). Outbox lag: an outbox row's insertion to Kafka's"
                + " acknowledgement. Listener: a record's time in the Kafka listener, its transaction included.\n\n");
        md.append("| offered /s | service | CPU cores | outbox lag mean / p50 / p99 / max | listener mean / p99 / max"
                + " | POST /api/orders server mean | DB connection wait / held (mean) | GC pauses |\n");
        md.append("|---:|---|---:|---|---|---:|---|---:|\n");
        for (Report.Step s : r.steps()) {
            for (ServiceFigures f : s.services()) {
                md.append("| ")
                        .append(s.offeredRate())
                        .append(" | ")
                        .append(f.service())
                        .append(" | ")
                        .append(f.cpuCores() == null ? "n/a" : num(f.cpuCores()))
                        .append(" | ")
                        .append(timing(f.outboxLag(), true))
                        .append(" | ")
                        .append(timing(f.listener(), false))
                        .append(" | ")
                        .append(f.ordersPost() == null ? "" : ms(f.ordersPost().meanMs()))
                        .append(" | ")
                        .append(ms(f.dbAcquireMeanMs()))
                        .append(" / ")
                        .append(ms(f.dbUseMeanMs()))
                        .append(" | ")
                        .append(ms(f.gcPauseMs()))
                        .append(" |\n");
            }
        }

        md.append("\n## Floors: the same broker and database server without the services\n\n");
        if (r.kafkaFloors().isEmpty() && r.postgresFloor() == null) {
            md.append("Not measured (`--no-floors`).\n");
        }
        if (!r.kafkaFloors().isEmpty()) {
            md.append("Kafka: a plain producer (acks=all, idempotent, no linger) to a consumer on a bench topic of"
                    + " 6 partitions, open loop at the step's rate; milliseconds from the scheduled send to the"
                    + " consumer. An order's outcome takes three such hops (OrderPlaced, the payment's event,"
                    + " the outcome event) plus the services' transactions.\n\n");
            md.append("| rate /s | sent | received | p50 | p90 | p99 | max | outcome p50 ÷ Kafka p50"
                    + " | outcome p99 ÷ Kafka p99 | note |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (KafkaFloor.Result k : r.kafkaFloors()) {
                Report.Step step = r.steps().stream()
                        .filter(s -> s.offeredRate() == k.rate())
                        .findFirst()
                        .orElse(null);
                Report.Ratios ratios = step == null ? null : step.ratios();
                md.append("| ")
                        .append(k.rate())
                        .append(" | ")
                        .append(k.sent())
                        .append(" | ")
                        .append(k.received())
                        .append(" | ")
                        .append(percentiles(k.latency()))
                        .append(" | ")
                        .append(ratios == null ? "" : times(ratios.outcomeP50PerKafkaP50()))
                        .append(" | ")
                        .append(ratios == null ? "" : times(ratios.outcomeP99PerKafkaP99()))
                        .append(" | ")
                        .append(k.error() == null ? "" : k.error())
                        .append(" |\n");
            }
            md.append('\n');
        }
        PostgresFloor.Result pg = r.postgresFloor();
        if (pg != null) {
            md.append("PostgreSQL: ")
                    .append(pg.connections())
                    .append(" connections, each committing one-row INSERT transactions as fast as it can for ")
                    .append(num(pg.seconds()))
                    .append(" s in a scratch database: **")
                    .append(pg.commitsPerSecond() == null ? "n/a" : num(pg.commitsPerSecond()))
                    .append(" commits/s**, commit latency p50 ")
                    .append(ms(pg.commit().p50()))
                    .append(" ms, p99 ")
                    .append(ms(pg.commit().p99()))
                    .append(" ms")
                    .append(pg.error() == null ? "" : " (" + pg.error() + ")")
                    .append(". Server: ")
                    .append(pg.server().isEmpty() ? "settings unknown" : map(pg.server()))
                    .append(".\n\n");
            md.append("| offered /s | services' commits /s | commits per order | share of the floor's commits/s |\n");
            md.append("|---:|---:|---:|---:|\n");
            for (Report.Step s : r.steps()) {
                md.append("| ")
                        .append(s.offeredRate())
                        .append(" | ")
                        .append(s.pgCommitsPerSecond() == null ? "n/a" : num(s.pgCommitsPerSecond()))
                        .append(" | ")
                        .append(s.pgCommitsPerOrder() == null ? "n/a" : num(s.pgCommitsPerOrder()))
                        .append(" | ")
                        .append(s.ratios() == null ? "" : pct(s.ratios().pgCommitShare()))
                        .append(" |\n");
            }
            md.append('\n');
        }

        if (!r.notes().isEmpty()) {
            md.append("## Notes\n\n");
            r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private static String percentiles(Latency l) {
        return ms(l.p50()) + " | " + ms(l.p90()) + " | " + ms(l.p99()) + " | " + ms(l.max());
    }

    private static String timing(ServiceFigures.Timing t, boolean withP50) {
        if (t == null) {
            return "n/a";
        }
        if (t.count() == 0) {
            return "none";
        }
        return ms(t.meanMs()) + (withP50 ? " / " + ms(t.p50Ms()) : "") + " / " + ms(t.p99Ms()) + " / " + ms(t.maxMs());
    }

    private static String map(Map<String, ?> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static String ms(Double value) {
        return value == null ? "–" : num(value);
    }

    static String num(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String pct(Double share) {
        return share == null ? "n/a" : num(share * 100) + " %";
    }

    private static String times(Double ratio) {
        return ratio == null ? "n/a" : num(ratio) + "×";
    }

    /** A short sentence of the figures of one step, for the console and the conclusion. */
    static String line(Report.Step s) {
        return s.offeredRate() + " orders/s: POST→202 p50/p90/p99/max " + join(s.postTo202()) + " ms, POST→outcome "
                + join(s.postToOutcome()) + " ms, " + s.errors() + " error(s)";
    }

    private static String join(Latency l) {
        return Stream.of(l.p50(), l.p90(), l.p99(), l.max()).map(Markdown::ms).collect(Collectors.joining("/"));
    }
}

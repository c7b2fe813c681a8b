package dev.orderflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
                .append(
                        r.mode().equals("search")
                                ? "step search"
                                : r.settings().cold() ? "cold start (`--cold`), fixed rate" : "fixed rate")
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
        md.append(processes(r.processes())).append("\n\n");
        if (!r.startup().isEmpty()) {
            md.append(startup(r.startup())).append("\n\n");
        }

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

        processFigures(md, r);

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

    /** Processor time per order, memory and idle cost by process. */
    private static void processFigures(StringBuilder md, Report r) {
        md.append("\n## Processor time and memory by process\n\n");
        md.append("From /proc: each process's user and system time while the step was sending, in milliseconds"
                + " per order sent; PostgreSQL with all its backends. Suite: the three services, the broker and"
                + " PostgreSQL, the bench left out. n/a: the process was not found on this machine.\n\n");
        if (r.processes().stream().anyMatch(p -> p.given() > 1)) {
            md.append("A part with several processes (the instances of a service, the brokers) counts all of them"
                    + " that were found; its resident memory is that of its largest process, and a service's age"
                    + " that of its youngest instance.\n\n");
        }
        List<String> cpu = List.of(
                SuiteProcesses.ORDER,
                SuiteProcesses.PAYMENT,
                SuiteProcesses.NOTIFICATION,
                SuiteProcesses.KAFKA,
                SuiteProcesses.POSTGRES,
                SuiteProcesses.SUITE,
                SuiteProcesses.BENCH);
        md.append("| offered /s | ")
                .append(cpu.stream().map(Markdown::label).collect(Collectors.joining(" | ")))
                .append(" | age of order- / payment- / notification-service at the step's start (s) |\n");
        md.append("|---:|").append("---:|".repeat(cpu.size())).append("---|\n");
        for (Report.Step s : r.steps()) {
            ProcessFigures p = s.processes();
            md.append("| ").append(s.offeredRate());
            for (String name : cpu) {
                String value = p == null ? "n/a" : orNa(p.cpuMsPerOrder().get(name));
                md.append(" | ").append(name.equals(SuiteProcesses.SUITE) ? "**" + value + "**" : value);
            }
            md.append(" | ")
                    .append(
                            p == null
                                    ? "n/a"
                                    : p.serviceAgesAtStartSeconds().values().stream()
                                            .map(Markdown::orNa)
                                            .collect(Collectors.joining(" / ")))
                    .append(" |\n");
        }
        md.append("\nOf that, in milliseconds per order: each service's JIT compiler threads (C1 and C2, from"
                + " /proc/<pid>/task), a cost that falls as the services warm up; and PostgreSQL's transactions per"
                + " order, all of the services' databases together (pg_stat_database, counted while the step sends from a quarter"
                + " into it, so a suite that falls behind shows fewer):\n\n");
        md.append("| offered /s | ")
                .append(SuiteProcesses.SERVICES.stream()
                        .map(name -> label(name) + " JIT")
                        .collect(Collectors.joining(" | ")))
                .append(" | PostgreSQL transactions per order |\n");
        md.append("|---:|")
                .append("---:|".repeat(SuiteProcesses.SERVICES.size() + 1))
                .append('\n');
        for (Report.Step s : r.steps()) {
            ProcessFigures p = s.processes();
            md.append("| ").append(s.offeredRate());
            for (String name : SuiteProcesses.SERVICES) {
                md.append(" | ")
                        .append(p == null ? "n/a" : orNa(p.jitMsPerOrder().get(name)));
            }
            md.append(" | ")
                    .append(s.pgCommitsPerOrder() == null ? "n/a" : num(s.pgCommitsPerOrder()))
                    .append(" |\n");
        }
        md.append("\nResident memory (VmRSS) when the step ended, MiB:\n\n");
        List<String> memory = List.of(
                SuiteProcesses.ORDER,
                SuiteProcesses.PAYMENT,
                SuiteProcesses.NOTIFICATION,
                SuiteProcesses.KAFKA,
                SuiteProcesses.BENCH);
        md.append("| offered /s | ")
                .append(memory.stream().map(Markdown::label).collect(Collectors.joining(" | ")))
                .append(" |\n");
        md.append("|---:|").append("---:|".repeat(memory.size())).append('\n');
        for (Report.Step s : r.steps()) {
            md.append("| ").append(s.offeredRate());
            for (String name : memory) {
                md.append(" | ")
                        .append(
                                s.processes() == null
                                        ? "n/a"
                                        : orNa(s.processes().rssMib().get(name)));
            }
            md.append(" |\n");
        }
        md.append('\n');
        Report.Idle idle = r.idle();
        if (idle == null) {
            md.append(
                    r.settings().idleSeconds() == 0
                            ? "Idle: not measured (`--idle 0`).\n"
                            : "Idle: not measured (no process of the suite was found on this machine).\n");
            return;
        }
        md.append("Idle: processor time over ")
                .append(num(idle.seconds()))
                .append(" s before any stream or order, as a percentage of one core:\n\n");
        List<String> idleColumns = List.of(
                SuiteProcesses.ORDER,
                SuiteProcesses.PAYMENT,
                SuiteProcesses.NOTIFICATION,
                SuiteProcesses.SERVICES_TOGETHER,
                SuiteProcesses.KAFKA,
                SuiteProcesses.POSTGRES,
                SuiteProcesses.BENCH);
        md.append("| ")
                .append(idleColumns.stream().map(Markdown::label).collect(Collectors.joining(" | ")))
                .append(" |\n");
        md.append("|").append("---:|".repeat(idleColumns.size())).append('\n');
        md.append("| ")
                .append(idleColumns.stream()
                        .map(name -> {
                            Double percent = idle.corePercent().get(name);
                            String value = percent == null ? "n/a" : num(percent) + " %";
                            return name.equals(SuiteProcesses.SERVICES_TOGETHER) ? "**" + value + "**" : value;
                        })
                        .collect(Collectors.joining(" | ")))
                .append(" |\n");
    }

    private static String processes(List<Report.Process> processes) {
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Report.Process p : processes) {
            if (p.given() > 1 && !p.pids().isEmpty()) {
                boolean kafka = p.name().equals(SuiteProcesses.KAFKA);
                found.add((kafka ? "Kafka" : p.name())
                        + (p.pids().size() == 1 ? " pid " : " pids ")
                        + p.pids().stream().map(String::valueOf).collect(Collectors.joining(" "))
                        + " (" + (p.pids().size() == p.given() ? "" : p.pids().size() + " of ") + p.given()
                        + (kafka ? " brokers)" : " instances)"));
            } else if (p.pid() != null) {
                found.add(label(p.name()) + " pid " + p.pid()
                        + (p.name().equals(SuiteProcesses.POSTGRES) ? " with its backends" : ""));
            }
            if (p.missing() != null) {
                missing.add(label(p.name()) + " (" + p.missing() + ")");
            }
        }
        return "Processes, found by the port each listens on: "
                + (found.isEmpty() ? "none" : String.join(", ", found))
                + (missing.isEmpty() ? "" : "; not found: " + String.join(", ", missing))
                + ".";
    }

    private static String startup(List<Report.Startup> startup) {
        return "Start-up (Spring Boot's application_ready_time; the process's age when the bench started): "
                + startup.stream()
                        .map(s -> s.service() + " ready in " + orNa(s.readySeconds()) + " s, "
                                + (s.processAgeSeconds() == null ? "age n/a" : num(s.processAgeSeconds()) + " s old"))
                        .collect(Collectors.joining("; "))
                + ".";
    }

    /**
     * How long after each service's process started a step began, and about how long after the service
     * was ready (its age less its ready time, which leaves out the JVM's own start); to follow a colon.
     */
    static String startedAfter(Map<String, Double> ages, List<Report.Startup> startup) {
        List<String> parts = new ArrayList<>();
        ages.forEach((service, age) -> {
            if (age == null) {
                parts.add("n/a after " + service + "'s (its process was not found)");
                return;
            }
            Double ready = startup.stream()
                    .filter(s -> s.service().equals(service))
                    .map(Report.Startup::readySeconds)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            parts.add(num(age) + " s after " + service + "'s process started"
                    + (ready == null ? "" : " (about " + num(age - ready) + " s after it was ready)"));
        });
        return "the step began " + String.join(", ", parts) + ".";
    }

    private static String label(String process) {
        return switch (process) {
            case SuiteProcesses.KAFKA -> "Kafka broker";
            case SuiteProcesses.POSTGRES -> "PostgreSQL";
            case SuiteProcesses.SERVICES_TOGETHER -> "services together";
            default -> process;
        };
    }

    private static String orNa(Double value) {
        return value == null ? "n/a" : num(value);
    }

    /** {@code name value, ...} of a map of figures, n/a where unknown. */
    static String figures(Map<String, Double> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + " " + orNa(e.getValue()))
                .collect(Collectors.joining(", "));
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

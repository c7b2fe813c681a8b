package dev.orderflow.bench;

import java.util.List;
import java.util.Map;

/** Everything a run measured, as report.json holds it; durations in milliseconds. */
record Report(
        String runId,
        String startedAt,
        String finishedAt,
        String mode,
        Settings settings,
        List<Process> processes,
        List<Startup> startup,
        Idle idle,
        List<Step> steps,
        Integer maxSustainedRate,
        String conclusion,
        List<KafkaFloor.Result> kafkaFloors,
        PostgresFloor.Result postgresFloor,
        List<String> notes) {

    /**
     * What the run was given.
     *
     * @param orderUrl the order-service URLs, one per instance, comma-separated (as paymentUrl and
     *     notificationUrl)
     * @param kafka the brokers, as {@code --kafka} lists them
     */
    record Settings(
            List<Integer> plannedRates,
            double secondsPerStep,
            double warmupSeconds,
            double p99LimitMs,
            int customers,
            double declineShare,
            boolean cold,
            double idleSeconds,
            String orderUrl,
            String paymentUrl,
            String notificationUrl,
            String kafka,
            String postgres) {}

    /**
     * A part of the suite, its processes found on this machine by the ports they listen on (the bench:
     * itself).
     *
     * @param pid the first process found; null if none was
     * @param missing why none was, or why not all were
     * @param pids every process found and measured: one per instance of a service, one per broker
     * @param given how many were given to look for: a service's URLs, the brokers of {@code --kafka}; for
     *     PostgreSQL 1, for the bench 0
     */
    record Process(String name, Long pid, String missing, List<Long> pids, int given) {

        static Process of(String name, List<Long> pids, String missing, int given) {
            return new Process(name, pids.isEmpty() ? null : pids.getFirst(), missing, pids, given);
        }
    }

    /**
     * A service's start-up, read when the bench started.
     *
     * @param readySeconds Spring Boot's {@code application.ready.time}: from the application's start to
     *     ready to serve (the JVM's own start before it not included); of several instances, the slowest
     * @param processAgeSeconds how long its process had been running
     */
    record Startup(String service, Double readySeconds, Double processAgeSeconds) {}

    /**
     * The suite's processor time before any stream or order.
     *
     * @param corePercent as a percentage of one core, by process, and "services": the three together
     */
    record Idle(double seconds, Map<String, Double> corePercent) {}

    /**
     * One rate held for a while.
     *
     * @param postTo202 scheduled send to the 202 answer
     * @param postTo202Uncorrected actual send to the 202 (what a client that waits for answers would see)
     * @param postToPlaced scheduled send to the ORDER_PLACED notification on the stream
     * @param postToOutcome scheduled send to the ORDER_CONFIRMED or ORDER_REJECTED notification
     * @param sendDelay how late the bench sent, after the schedule
     * @param backlogGrowthPerSecond the slope of the orders without an outcome over the second half
     * @param consumerLagAtEnd records the services' consumer groups had yet to read when sending ended
     * @param pgCommitsPerSecond the services' commits per second on the PostgreSQL server, under load
     * @param pgCommitsPerOrder those commits per order sent
     * @param machineCpuBusy the share of all the machine's processor time that was busy while sending
     * @param benchCpuCores processors the bench itself kept busy meanwhile
     * @param processes each process's processor time per order and memory, from /proc
     */
    record Step(
            int offeredRate,
            double seconds,
            double achievedRate,
            long sent,
            long accepted,
            long confirmed,
            long rejected,
            long errors,
            Map<String, Long> errorKinds,
            Latency postTo202,
            Latency postTo202Uncorrected,
            Latency postToPlaced,
            Latency postToOutcome,
            Latency sendDelay,
            long backlogMax,
            double backlogGrowthPerSecond,
            Map<String, Long> consumerLagAtEnd,
            List<ServiceFigures> services,
            Double pgCommitsPerSecond,
            Double pgCommitsPerOrder,
            Double machineCpuBusy,
            Double benchCpuCores,
            ProcessFigures processes,
            StepSearch.Verdict verdict,
            Ratios ratios) {

        Step withRatios(Ratios ratios) {
            return new Step(
                    offeredRate,
                    seconds,
                    achievedRate,
                    sent,
                    accepted,
                    confirmed,
                    rejected,
                    errors,
                    errorKinds,
                    postTo202,
                    postTo202Uncorrected,
                    postToPlaced,
                    postToOutcome,
                    sendDelay,
                    backlogMax,
                    backlogGrowthPerSecond,
                    consumerLagAtEnd,
                    services,
                    pgCommitsPerSecond,
                    pgCommitsPerOrder,
                    machineCpuBusy,
                    benchCpuCores,
                    processes,
                    verdict,
                    ratios);
        }
    }

    /**
     * The step against its floors.
     *
     * @param outcomeP50PerKafkaP50 p50 to the outcome notification over the p50 of one raw Kafka hop at
     *     the same rate (the order flow has three hops: OrderPlaced, the payment's event, the outcome)
     * @param outcomeP99PerKafkaP99 the same for p99
     * @param pgCommitShare the services' commits per second over the commits per second the server gave
     *     the bench's own single-row transactions
     */
    record Ratios(Double outcomeP50PerKafkaP50, Double outcomeP99PerKafkaP99, Double pgCommitShare) {

        static Ratios of(Step step, KafkaFloor.Result kafka, PostgresFloor.Result postgres) {
            Double p50 = null;
            Double p99 = null;
            if (kafka != null
                    && kafka.latency().count() > 0
                    && step.postToOutcome().count() > 0) {
                p50 = ratio(step.postToOutcome().p50(), kafka.latency().p50());
                p99 = ratio(step.postToOutcome().p99(), kafka.latency().p99());
            }
            Double share = null;
            if (postgres != null && postgres.commitsPerSecond() != null && step.pgCommitsPerSecond() != null) {
                share = ratio(step.pgCommitsPerSecond(), postgres.commitsPerSecond());
            }
            return new Ratios(p50, p99, share);
        }

        private static Double ratio(double a, double b) {
            return b > 0 ? Math.round(a / b * 100) / 100.0 : null;
        }
    }
}

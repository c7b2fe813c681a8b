package dev.orderflow.bench;

import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;

/**
 * A service's own view of a step, from two scrapes of its {@code /actuator/prometheus}: counters and
 * histogram buckets are taken between the scrapes; {@code max} figures are Micrometer's decaying maxima
 * (the largest value of about the last two minutes) at the second scrape. Of a service with several
 * instances, their series are added up and the largest of their maxima taken.
 *
 * @param cpuCores processor time used per second of the window (1.0 = one core busy), all instances
 * @param outboxLag an outbox row's insertion to Kafka's acknowledgement ({@code outbox.publish.lag})
 * @param listener a record's time in the listener: decoding, the handler's transaction, its commit
 *     ({@code spring.kafka.listener}, dead-letter listeners left out)
 * @param ordersPost the server's own time for {@code POST /api/orders} ({@code http.server.requests})
 * @param dbAcquireMeanMs mean wait for a pooled database connection ({@code hikaricp.connections.acquire})
 * @param dbUseMeanMs mean time a pooled connection was held ({@code hikaricp.connections.usage})
 * @param gcPauseMs garbage-collection pauses, added up over the window
 * @param redelivered records handed to a listener again (a retry, a rebalance)
 */
record ServiceFigures(
        String service,
        Double cpuCores,
        Timing outboxLag,
        Timing listener,
        Timing ordersPost,
        Double dbAcquireMeanMs,
        Double dbUseMeanMs,
        Double gcPauseMs,
        Long redelivered) {

    /** A timer's figures in milliseconds; percentiles only where the timer publishes histogram buckets. */
    record Timing(long count, Double meanMs, Double p50Ms, Double p90Ms, Double p99Ms, Double maxMs) {}

    static ServiceFigures of(String service, Prometheus before, Prometheus after, double seconds) {
        if (after.isEmpty()) {
            return new ServiceFigures(service, null, null, null, null, null, null, null, null);
        }
        Prometheus delta = after.since(before);
        Double cpu = after.has("process_cpu_time_ns_total") && seconds > 0
                ? round(delta.sum("process_cpu_time_ns_total") / 1e9 / seconds, 100)
                : null;
        Predicate<Map<String, String>> all = labels -> true;
        Timing lag = after.has("outbox_publish_lag_seconds_count")
                ? timing(delta, after, "outbox_publish_lag_seconds", all)
                : null;
        Predicate<Map<String, String>> notDeadLetters =
                labels -> !labels.getOrDefault("name", "").contains(".dlt");
        Timing listener = after.has("spring_kafka_listener_seconds_count")
                ? timing(delta, after, "spring_kafka_listener_seconds", notDeadLetters)
                : null;
        Predicate<Map<String, String>> orders =
                labels -> "POST".equals(labels.get("method")) && "/api/orders".equals(labels.get("uri"));
        Timing post = after.sum("http_server_requests_seconds_count", orders) > 0
                ? timing(delta, after, "http_server_requests_seconds", orders)
                : null;
        return new ServiceFigures(
                service,
                cpu,
                lag,
                listener,
                post,
                meanMs(delta, "hikaricp_connections_acquire_seconds"),
                meanMs(delta, "hikaricp_connections_usage_seconds"),
                after.has("jvm_gc_pause_seconds_sum") ? round(delta.sum("jvm_gc_pause_seconds_sum") * 1000, 10) : null,
                after.has("orderflow_events_redelivered_total")
                        ? (long) delta.sum("orderflow_events_redelivered_total")
                        : null);
    }

    private static Timing timing(
            Prometheus delta, Prometheus after, String name, Predicate<Map<String, String>> filter) {
        double count = delta.sum(name + "_count", filter);
        double sum = delta.sum(name + "_sum", filter);
        NavigableMap<Double, Double> buckets = delta.buckets(name, filter);
        double max = after.max(name + "_max", filter);
        return new Timing(
                (long) count,
                count > 0 ? round(sum / count * 1000, 100) : null,
                percentile(0.50, buckets),
                percentile(0.90, buckets),
                percentile(0.99, buckets),
                Double.isNaN(max) ? null : round(max * 1000, 10));
    }

    private static Double percentile(double q, NavigableMap<Double, Double> buckets) {
        double seconds = Prometheus.quantile(q, buckets);
        return Double.isNaN(seconds) ? null : round(seconds * 1000, 100);
    }

    private static Double meanMs(Prometheus delta, String name) {
        double count = delta.sum(name + "_count");
        return count > 0 ? round(delta.sum(name + "_sum") / count * 1000, 1000) : null;
    }

    private static double round(double value, int per) {
        return Math.round(value * per) / (double) per;
    }
}

package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrometheusUnitTest {

    private static final String BEFORE = """
            # HELP outbox_publish_lag_seconds From an outbox row's insertion to Kafka's acknowledgement
            # TYPE outbox_publish_lag_seconds histogram
            outbox_publish_lag_seconds_bucket{le="0.001"} 0
            outbox_publish_lag_seconds_bucket{le="0.01"} 10
            outbox_publish_lag_seconds_bucket{le="0.1"} 10
            outbox_publish_lag_seconds_bucket{le="+Inf"} 10
            outbox_publish_lag_seconds_count 10
            outbox_publish_lag_seconds_sum 0.05
            spring_kafka_listener_seconds_count{exception="none",name="order-events-0",result="success"} 4
            spring_kafka_listener_seconds_sum{exception="none",name="order-events-0",result="success"} 0.04
            process_cpu_time_ns_total 1.0E10
            """;

    private static final String AFTER = """
            outbox_publish_lag_seconds_bucket{le="0.001"} 0
            outbox_publish_lag_seconds_bucket{le="0.01"} 60
            outbox_publish_lag_seconds_bucket{le="0.1"} 110
            outbox_publish_lag_seconds_bucket{le="+Inf"} 110
            outbox_publish_lag_seconds_count 110
            outbox_publish_lag_seconds_sum 2.05
            outbox_publish_lag_seconds_max 0.09
            spring_kafka_listener_seconds_count{exception="none",name="order-events-0",result="success"} 104
            spring_kafka_listener_seconds_sum{exception="none",name="order-events-0",result="success"} 0.54
            spring_kafka_listener_seconds_max{exception="none",name="order-events-0",result="success"} 0.02
            spring_kafka_listener_seconds_count{exception="none",name="order-events.payment-service.dlt-0",result="success"} 7
            spring_kafka_listener_seconds_sum{exception="none",name="order-events.payment-service.dlt-0",result="success"} 70
            process_cpu_time_ns_total 2.5E10
            """;

    @Test
    void readsSamplesWithQuotedEscapedLabelsAndSpecialValues() {
        Prometheus.Sample sample = Prometheus.sample("m{a=\"x,y\",b=\"say \\\"hi\\\"\"} +Inf 1700000000");

        assertThat(sample.name()).isEqualTo("m");
        assertThat(sample.labels()).containsOnly(Map.entry("a", "x,y"), Map.entry("b", "say \"hi\""));
        assertThat(sample.value()).isInfinite();
        assertThat(Prometheus.sample("plain_total 3.5").value()).isEqualTo(3.5);
        assertThat(Prometheus.sample("garbage")).isNull();
    }

    @Test
    void takesQuantilesFromCumulativeBucketsLikeHistogramQuantile() {
        TreeMap<Double, Double> buckets =
                new TreeMap<>(Map.of(0.01, 50.0, 0.1, 100.0, Double.POSITIVE_INFINITY, 100.0));

        assertThat(Prometheus.quantile(0.5, buckets)).isCloseTo(0.01, within(1e-12));
        // rank 99 is 49 of the 50 values between 0.01 and 0.1
        assertThat(Prometheus.quantile(0.99, buckets)).isCloseTo(0.01 + 0.09 * 49 / 50, within(1e-12));
        assertThat(Prometheus.quantile(0.25, buckets)).isCloseTo(0.005, within(1e-12));
        assertThat(Prometheus.quantile(0.5, new TreeMap<>())).isNaN();
        assertThat(Prometheus.quantile(0.99, new TreeMap<>(Map.of(0.01, 1.0, Double.POSITIVE_INFINITY, 100.0))))
                .isEqualTo(0.01);
    }

    @Test
    void figuresAStepFromTheDifferenceOfTwoScrapes() {
        ServiceFigures figures =
                ServiceFigures.of("payment-service", Prometheus.parse(BEFORE), Prometheus.parse(AFTER), 10);

        assertThat(figures.cpuCores()).isEqualTo(1.5);
        assertThat(figures.outboxLag().count()).isEqualTo(100);
        assertThat(figures.outboxLag().meanMs()).isEqualTo(20.0);
        // 50 of the 100 new values are up to 10 ms, the other 50 between 10 and 100 ms
        assertThat(figures.outboxLag().p50Ms()).isEqualTo(10.0);
        assertThat(figures.outboxLag().p99Ms()).isEqualTo(98.2);
        assertThat(figures.outboxLag().maxMs()).isEqualTo(90.0);
        // the dead-letter listener is left out
        assertThat(figures.listener().count()).isEqualTo(100);
        assertThat(figures.listener().meanMs()).isEqualTo(5.0);
        assertThat(figures.listener().p99Ms()).isNull();
        assertThat(figures.ordersPost()).isNull();
    }

    @Test
    void addsUpTheInstancesOfAServiceAndTakesTheLargestOfTheirMaxima() {
        Prometheus slower = Prometheus.parse(
                AFTER.replace("outbox_publish_lag_seconds_max 0.09", "outbox_publish_lag_seconds_max 0.2"));
        Prometheus before = Prometheus.merge(List.of(Prometheus.parse(BEFORE), Prometheus.parse(BEFORE)));
        Prometheus after = Prometheus.merge(List.of(Prometheus.parse(AFTER), slower));

        ServiceFigures figures = ServiceFigures.of("payment-service", before, after, 10);

        assertThat(figures.cpuCores()).isEqualTo(3.0);
        assertThat(figures.outboxLag().count()).isEqualTo(200);
        assertThat(figures.outboxLag().meanMs()).isEqualTo(20.0);
        assertThat(figures.outboxLag().p50Ms()).isEqualTo(10.0);
        assertThat(figures.outboxLag().maxMs()).isEqualTo(200.0);
        assertThat(figures.listener().count()).isEqualTo(200);
        assertThat(after.samples("process_cpu_time_ns_total"))
                .extracting(s -> s.labels().get(Prometheus.INSTANCE))
                .containsExactly("0", "1");
        // one instance: its scrape as it is
        Prometheus one = Prometheus.parse(AFTER);
        assertThat(Prometheus.merge(List.of(one))).isSameAs(one);
    }

    @Test
    void figuresNothingForAServiceThatCouldNotBeScraped() {
        ServiceFigures figures = ServiceFigures.of("order-service", Prometheus.empty(), Prometheus.empty(), 10);

        assertThat(figures.cpuCores()).isNull();
        assertThat(figures.outboxLag()).isNull();
    }
}

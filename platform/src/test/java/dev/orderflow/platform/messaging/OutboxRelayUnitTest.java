package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class OutboxRelayUnitTest {

    @Test
    void publishesTheLagAsAHistogramSoThatPercentilesCanBeTakenOverAnyWindow() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, DistributionStatisticConfig> configs = new ConcurrentHashMap<>();
        meters.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                configs.put(id.getName(), config);
                return config;
            }
        });

        new OutboxRelay(
                null,
                null,
                null,
                new MessagingProperties.Relay(500, Duration.ofMillis(500), Duration.ofSeconds(30)),
                meters,
                MessageTracing.off(),
                () -> true);

        DistributionStatisticConfig lag = configs.get("outbox.publish.lag");
        assertThat(lag.isPercentileHistogram()).isTrue();
        assertThat(lag.getPercentiles()).containsExactly(0.5, 0.99);
        // Buckets (in nanoseconds) from 1 ms to 60 s: fine enough at the low end for a p50 of a few ms.
        NavigableSet<Double> buckets = lag.getHistogramBuckets(true);
        assertThat(buckets.first()).isEqualTo(Duration.ofMillis(1).toNanos());
        assertThat(buckets.last()).isEqualTo(Duration.ofSeconds(60).toNanos());
        assertThat(buckets.subSet(1e6, true, 10e6, true)).hasSizeGreaterThanOrEqualTo(5);
    }
}

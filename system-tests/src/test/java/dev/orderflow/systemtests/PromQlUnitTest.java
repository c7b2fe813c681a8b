package dev.orderflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromQlUnitTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "up{job=\"orderflow\"} == 0",
                "histogram_quantile(0.99, sum by (le, outcome) (rate(orderflow_saga_duration_seconds_bucket[5m])))",
                "sum by (application) (rate(a_total{status=~\"5..\"}[5m])) / sum by (application) (rate(a_total[5m])) > 0.05",
                "sum(rate(a_total[1m])) without (instance)",
                "max_over_time(a[10m:1m] offset 5m)",
                "topk(3, a) or on (x) group_left (y) b",
                "-a ^ 2 ^ 3",
                "a > bool 0",
                "{__name__=\"a\", job!=\"\"}",
            })
    void acceptsWellFormedExpressions(String expression) {
        assertThat(PromQl.metricNames(expression)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "rate(a)",
                "sum(rate(a[5m])",
                "histogram_quantile(a_bucket)",
                "a{job=orderflow}",
                "a{job=~\"(\"}",
                "rat(a[5m])",
                "sum by (le) rate(a[5m])",
                "a and 1",
                "1 > 0",
                "(a + b)[5m]",
                "a +",
                "{job=~\".*\"}",
            })
    void rejectsMalformedExpressions(String expression) {
        assertThatThrownBy(() -> PromQl.metricNames(expression)).isInstanceOf(PromQl.SyntaxError.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"max by (group) (consumer_lag_age_seconds) > 30"})
    void namesTheMetricsItSelects(String expression) {
        assertThat(PromQl.metricNames(expression)).containsExactly("consumer_lag_age_seconds");
    }

    @Test
    void namesEachSelectorWithItsLabelMatchers() {
        assertThat(PromQl.selectors(
                                "sum(rate(a_total{status=~\"5..\", uri!~'/actuator.*'}[5m])) / sum(rate({__name__=\"a_total\"}[5m]))")
                        .stream()
                        .map(PromQl.Selector::toString))
                .containsExactly("a_total{status=~\"5..\",uri!~\"/actuator.*\"}", "a_total{}");
    }

    @Test
    void aSelectorSelectsTheSeriesItsMatchersAllPassAnchoredAsInPrometheus() {
        PromQl.Selector selector =
                PromQl.selectors("a{status=~\"5..\", uri!=\"/x\", le=\"0.1\"}").getFirst();

        assertThat(selector.selects("a", Map.of("status", "503", "uri", "/y", "le", "0.1")))
                .isTrue();
        assertThat(selector.selects("a", Map.of("status", "1503", "uri", "/y", "le", "0.1")))
                .isFalse();
        assertThat(selector.selects("a", Map.of("status", "503", "uri", "/x", "le", "0.1")))
                .isFalse();
        assertThat(selector.selects("a", Map.of("status", "503", "uri", "/y"))).isFalse();
        assertThat(selector.selects("b", Map.of("status", "503", "uri", "/y", "le", "0.1")))
                .isFalse();
    }
}

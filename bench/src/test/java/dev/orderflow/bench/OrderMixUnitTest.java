package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OrderMixUnitTest {

    private static final long LIMIT = 100_000;

    @Test
    void neverLetsACustomersAuthorizedOrdersInOneCurrencyExceedTheLimit() {
        OrderMix mix = new OrderMix("t1", 7, 0.1, LIMIT, 42);
        Map<String, Long> spent = new HashMap<>();
        int declined = 0;
        int orders = 20_000;
        for (int i = 0; i < orders; i++) {
            OrderMix.Order order = mix.next();
            if (order.declineExpected()) {
                declined++;
                assertThat(order.totalCents()).isGreaterThan(LIMIT);
            } else {
                long total = spent.merge(order.customerId() + "/" + order.currency(), order.totalCents(), Long::sum);
                assertThat(total).isLessThanOrEqualTo(LIMIT);
            }
        }
        assertThat(declined).isBetween(orders * 8 / 100, orders * 12 / 100);
        assertThat(spent.keySet().stream().map(k -> k.substring(k.indexOf('/') + 1)))
                .contains("EUR", "USD", "QAA");
    }

    @Test
    void writesOrdersTheServiceAccepts() {
        OrderMix mix = new OrderMix("t2", 3, 0.5, LIMIT, 7);
        Pattern valid = Pattern.compile("\\{\"customerId\":\"bench-t2-[0-2]\",\"currency\":\"[A-Z]{3}\",\"items\":\\["
                + "\\{\"sku\":\"[A-Z0-9-]{1,64}\",\"quantity\":[1-9]\\d*,\"unitPrice\":\\d+\\.\\d\\d}"
                + "(,\\{\"sku\":\"[A-Z0-9-]{1,64}\",\"quantity\":[1-9]\\d*,\"unitPrice\":\\d+\\.\\d\\d})*]}");
        for (int i = 0; i < 200; i++) {
            assertThat(mix.next().json()).matches(valid);
        }
        assertThat(mix.customerIds()).containsExactly("bench-t2-0", "bench-t2-1", "bench-t2-2");
    }

    @Test
    void namesCurrenciesWithThreeUpperCaseLetters() {
        assertThat(OrderMix.currency(0)).isEqualTo("EUR");
        assertThat(OrderMix.currency(10)).isEqualTo("QAA");
        assertThat(OrderMix.currency(10 + 26 * 26 - 1)).isEqualTo("QZZ");
    }
}

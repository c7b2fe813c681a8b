package dev.orderflow.paymentservice.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CustomerCreditUnitTest {

    private final CustomerCredit credit = CustomerCredit.open(new CreditId("alice", "EUR"), new BigDecimal("100.00"));

    @Test
    void reservesAnAmountBelowTheAvailableCredit() {
        assertThat(credit.reserve(new BigDecimal("40.00"))).isTrue();

        assertThat(credit.getAvailable()).isEqualByComparingTo("60.00");
        assertThat(credit.getLimit()).isEqualByComparingTo("100.00");
    }

    @Test
    void reservesAnAmountThatUsesUpTheAvailableCreditExactly() {
        credit.reserve(new BigDecimal("40.00"));

        assertThat(credit.reserve(new BigDecimal("60.00"))).isTrue();
        assertThat(credit.getAvailable()).isEqualByComparingTo("0.00");
    }

    @Test
    void refusesAnAmountBeyondTheAvailableCreditAndKeepsIt() {
        credit.reserve(new BigDecimal("40.00"));

        assertThat(credit.reserve(new BigDecimal("60.01"))).isFalse();
        assertThat(credit.getAvailable()).isEqualByComparingTo("60.00");
    }

    @Test
    void releaseGivesAReservedAmountBack() {
        credit.reserve(new BigDecimal("40.00"));
        credit.reserve(new BigDecimal("25.00"));

        credit.release(new BigDecimal("40.00"));

        assertThat(credit.getAvailable()).isEqualByComparingTo("75.00");
    }

    @Test
    void refusesAReleaseBeyondTheLimitAndKeepsTheCredit() {
        credit.reserve(new BigDecimal("40.00"));

        assertThatIllegalStateException().isThrownBy(() -> credit.release(new BigDecimal("40.01")));
        assertThat(credit.getAvailable()).isEqualByComparingTo("60.00");
    }
}

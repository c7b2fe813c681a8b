package dev.orderflow.paymentservice.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.PaymentRefunded;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentUnitTest {

    private static final UUID ORDER = UUID.randomUUID();
    private static final BigDecimal AMOUNT = new BigDecimal("25.00");

    @Test
    void anAuthorizedPaymentAnnouncesItsAuthorizationOnce() {
        Payment payment = Payment.authorized(ORDER, "alice", AMOUNT, "EUR");

        assertThat(payment.getStatus()).isEqualTo(PaymentStatus.AUTHORIZED);
        assertThat(payment.registeredEvents())
                .singleElement()
                .asInstanceOf(type(PaymentAuthorized.class))
                .satisfies(event -> {
                    assertThat(event.orderId()).isEqualTo(ORDER);
                    assertThat(event.paymentId()).isEqualTo(payment.getId());
                    assertThat(event.customerId()).isEqualTo("alice");
                    assertThat(event.amount()).isEqualByComparingTo(AMOUNT);
                    assertThat(event.currency()).isEqualTo("EUR");
                });
    }

    @Test
    void aDeclinedPaymentAnnouncesItsDeclineWithTheReasonOnce() {
        Payment payment = Payment.declined(ORDER, "alice", AMOUNT, "EUR", PaymentDeclined.INSUFFICIENT_CREDIT);

        assertThat(payment.getStatus()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(payment.getReason()).isEqualTo(PaymentDeclined.INSUFFICIENT_CREDIT);
        assertThat(payment.registeredEvents())
                .singleElement()
                .asInstanceOf(type(PaymentDeclined.class))
                .satisfies(event -> {
                    assertThat(event.orderId()).isEqualTo(ORDER);
                    assertThat(event.paymentId()).isEqualTo(payment.getId());
                    assertThat(event.amount()).isEqualByComparingTo(AMOUNT);
                    assertThat(event.reason()).isEqualTo(PaymentDeclined.INSUFFICIENT_CREDIT);
                });
    }

    @Test
    void refundsAnAuthorizedPaymentAndAnnouncesTheRefund() {
        Payment payment = Payment.authorized(ORDER, "alice", AMOUNT, "EUR");

        assertThat(payment.refund()).isTrue();

        assertThat(payment.getStatus()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(payment.registeredEvents())
                .hasSize(2)
                .last()
                .asInstanceOf(type(PaymentRefunded.class))
                .satisfies(event -> {
                    assertThat(event.paymentId()).isEqualTo(payment.getId());
                    assertThat(event.amount()).isEqualByComparingTo(AMOUNT);
                    assertThat(event.currency()).isEqualTo("EUR");
                });
    }

    @Test
    void aSecondRefundDoesNothing() {
        Payment payment = Payment.authorized(ORDER, "alice", AMOUNT, "EUR");
        payment.refund();

        assertThat(payment.refund()).isFalse();

        assertThat(payment.getStatus()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(payment.registeredEvents())
                .filteredOn(PaymentRefunded.class::isInstance)
                .hasSize(1);
    }

    @Test
    void aDeclinedPaymentHasNothingToRefund() {
        Payment payment = Payment.declined(ORDER, "alice", AMOUNT, "EUR", PaymentDeclined.INSUFFICIENT_CREDIT);

        assertThat(payment.refund()).isFalse();

        assertThat(payment.getStatus()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(payment.registeredEvents()).noneMatch(PaymentRefunded.class::isInstance);
    }
}

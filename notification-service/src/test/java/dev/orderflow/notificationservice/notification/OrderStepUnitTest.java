package dev.orderflow.notificationservice.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderStepUnitTest {

    private static final UUID ORDER = UUID.fromString("3f2a9c1e-7b4d-4e8a-9c1f-2d3e4f5a6b7c");

    @Test
    void tellsOfAPlacedOrderWithItsItemCountAndTotal() {
        OrderStep step = OrderStep.placed(ORDER, "alice", 3, new BigDecimal("26.20"), "EUR");

        assertThat(step.type()).isEqualTo(NotificationType.ORDER_PLACED);
        assertThat(step.customerId()).isEqualTo("alice");
        assertThat(step.orderId()).isEqualTo(ORDER);
        assertThat(step.message())
                .startsWith("Order 3f2a9c1e placed")
                .contains("3 item(s)")
                .contains("26.20 EUR");
    }

    @Test
    void tellsOfAConfirmedOrder() {
        OrderStep step = OrderStep.confirmed(ORDER, "alice");

        assertThat(step.type()).isEqualTo(NotificationType.ORDER_CONFIRMED);
        assertThat(step.message()).startsWith("Order 3f2a9c1e confirmed");
    }

    @Test
    void tellsOfARejectedOrderAndWhy() {
        OrderStep step = OrderStep.rejected(ORDER, "alice", "INSUFFICIENT_CREDIT");

        assertThat(step.type()).isEqualTo(NotificationType.ORDER_REJECTED);
        assertThat(step.message()).startsWith("Order 3f2a9c1e rejected").contains("INSUFFICIENT_CREDIT");
    }

    @Test
    void tellsOfACancelledOrder() {
        OrderStep step = OrderStep.cancelled(ORDER, "alice");

        assertThat(step.type()).isEqualTo(NotificationType.ORDER_CANCELLED);
        assertThat(step.message()).startsWith("Order 3f2a9c1e cancelled");
    }
}

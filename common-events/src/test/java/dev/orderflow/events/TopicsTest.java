package dev.orderflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static final UUID ORDER = UUID.randomUUID();

    @Test
    void orderEventsGoToOrderEventsAndPaymentEventsToPaymentEvents() {
        assertThat(Topics.of(new OrderCancelled(UUID.randomUUID(), Instant.now(), ORDER, "alice")))
                .isEqualTo("order-events");
        assertThat(Topics.of(new PaymentRefunded(
                        UUID.randomUUID(), Instant.now(), ORDER, UUID.randomUUID(), "alice", BigDecimal.TEN, "EUR")))
                .isEqualTo("payment-events");
    }

    @Test
    void namesEachConsumersDeadLetterTopicAfterTheSourceTopicAndTheService() {
        assertThat(Topics.deadLetter("order-events", "payment-service")).isEqualTo("order-events.payment-service.dlt");
    }

    @Test
    void knowsEveryEventTypeOfATopicByItsName() {
        assertThat(Topics.types(Topics.family("order-events").orElseThrow()))
                .containsOnlyKeys("OrderPlaced", "OrderConfirmed", "OrderRejected", "OrderCancelled");
        assertThat(Topics.types(Topics.family("payment-events").orElseThrow()))
                .containsOnlyKeys("PaymentAuthorized", "PaymentDeclined", "PaymentRefunded");
        assertThat(Topics.family("elsewhere")).isEmpty();
    }

    @Test
    void refusesAnOrderPlacedWithoutItemsOrWithANonPositiveTotal() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OrderPlaced(
                        UUID.randomUUID(), Instant.now(), ORDER, "alice", "EUR", List.of(), BigDecimal.ONE))
                .withMessageContaining("items");
        List<OrderPlaced.Item> items = List.of(new OrderPlaced.Item("A", 1, BigDecimal.ONE));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OrderPlaced(
                        UUID.randomUUID(), Instant.now(), ORDER, "alice", "EUR", items, BigDecimal.ZERO))
                .withMessageContaining("total");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OrderRejected(UUID.randomUUID(), Instant.now(), ORDER, "alice", " "))
                .withMessageContaining("reason");
    }
}

package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.testsupport.RealInfrastructure;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@RealInfrastructure
class ProcessedEventsIntegrationTest {

    @Autowired
    ProcessedEvents processedEvents;

    @Autowired
    TransactionTemplate transactions;

    private final OrderCancelled event = new OrderCancelled(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "bob");

    @Test
    void recognisesAnEventDeliveredAgain() {
        assertThat(firstDeliveryInItsOwnTransaction()).isTrue();
        assertThat(firstDeliveryInItsOwnTransaction()).isFalse();
    }

    @Test
    void recognisesInOneStatementTheEventsOfABatchDeliveredBeforeAndThoseThatComeTwice() {
        OrderCancelled other = new OrderCancelled(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "carol");
        OrderCancelled third = new OrderCancelled(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "dave");
        assertThat(firstDeliveryInItsOwnTransaction()).isTrue();

        Set<UUID> first =
                transactions.execute(tx -> processedEvents.firstDeliveries(List.of(other, event, third, other)));

        assertThat(first).containsExactlyInAnyOrder(other.eventId(), third.eventId());
        Set<UUID> again = transactions.execute(tx -> processedEvents.firstDeliveries(List.of(third, other)));
        assertThat(again).isEmpty();
    }

    @Test
    void forgetsAnEventWhoseEffectWasRolledBack() {
        transactions.executeWithoutResult(tx -> {
            assertThat(processedEvents.firstDeliveries(List.of(event))).containsExactly(event.eventId());
            tx.setRollbackOnly();
        });

        assertThat(firstDeliveryInItsOwnTransaction()).isTrue();
    }

    @Test
    void refusesToRecordAnEventOutsideTheTransactionOfItsEffect() {
        assertThatIllegalStateException().isThrownBy(() -> processedEvents.firstDeliveries(List.of(event)));
    }

    private boolean firstDeliveryInItsOwnTransaction() {
        return !transactions
                .execute(tx -> processedEvents.firstDeliveries(List.of(event)))
                .isEmpty();
    }
}

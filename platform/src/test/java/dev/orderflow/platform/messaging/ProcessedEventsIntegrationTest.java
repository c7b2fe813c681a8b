package dev.orderflow.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.testsupport.RealInfrastructure;
import java.time.Instant;
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
    void forgetsAnEventWhoseEffectWasRolledBack() {
        transactions.executeWithoutResult(tx -> {
            assertThat(processedEvents.firstDelivery(event)).isTrue();
            tx.setRollbackOnly();
        });

        assertThat(firstDeliveryInItsOwnTransaction()).isTrue();
    }

    @Test
    void refusesToRecordAnEventOutsideTheTransactionOfItsEffect() {
        assertThatIllegalStateException().isThrownBy(() -> processedEvents.firstDelivery(event));
    }

    private boolean firstDeliveryInItsOwnTransaction() {
        return Boolean.TRUE.equals(transactions.execute(tx -> processedEvents.firstDelivery(event)));
    }
}

package dev.orderflow.platform.messaging;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.Topics;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@RealInfrastructure
class OutboxIntegrationTest {

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    EventCodec codec;

    @Autowired
    KafkaTestClient kafka;

    UUID orderId;

    @BeforeEach
    void setUp() {
        orderId = UUID.randomUUID();
    }

    @Test
    void publishesCommittedEventsInCommitOrderKeyedByOrderWithTheirHeaders() {
        List<DomainEvent> events = List.of(placed(), confirmed(), cancelled());
        events.forEach(event -> transactions.executeWithoutResult(tx -> outbox.append(event)));

        List<ConsumerRecord<String, byte[]>> published = awaitRecordsOfOrder(3);

        assertThat(published)
                .extracting(r -> header(r, "event-type"))
                .containsExactly("OrderPlaced", "OrderConfirmed", "OrderCancelled");
        assertThat(published)
                .extracting(r -> header(r, "event-id"))
                .containsExactlyElementsOf(
                        events.stream().map(e -> e.eventId().toString()).toList());
        assertThat(published).extracting(r -> header(r, "event-version")).containsOnly("1");
        assertThat(published)
                .extracting(ConsumerRecord::partition)
                .containsOnly(published.get(0).partition());
        assertThat(codec.decode(published.get(0), dev.orderflow.events.OrderEvent.class))
                .isEqualTo(events.get(0));
        await().untilAsserted(() -> assertThat(outboxRows()).isZero());
    }

    @Test
    void publishesTheEventsOfOneTransactionInTheOrderTheyWereAppended() {
        List<DomainEvent> events = List.of(placed(), cancelled(), confirmed(), placed());
        transactions.executeWithoutResult(tx -> events.forEach(outbox::append));

        assertThat(awaitRecordsOfOrder(4))
                .extracting(r -> header(r, "event-id"))
                .containsExactlyElementsOf(
                        events.stream().map(e -> e.eventId().toString()).toList());
    }

    @Test
    void publishesNothingOfARolledBackTransaction() {
        DomainEvent rolledBack = placed();
        transactions.executeWithoutResult(tx -> {
            outbox.append(rolledBack);
            tx.setRollbackOnly();
        });
        // Same order, same partition: once this one is out, the rolled-back one would have been too.
        DomainEvent committed = cancelled();
        transactions.executeWithoutResult(tx -> outbox.append(committed));

        List<ConsumerRecord<String, byte[]>> published = awaitRecordsOfOrder(1);

        assertThat(published)
                .extracting(r -> header(r, "event-id"))
                .containsExactly(committed.eventId().toString());
    }

    @Test
    void publishesRowsThatNobodyWokeItFor() {
        // What a crash between commit and publication leaves behind: a committed row, and no relay that
        // was told about it.
        DomainEvent orphan = placed();
        jdbc.sql("INSERT INTO outbox (event_id, topic, record_key, event_type, payload) VALUES (?, ?, ?, ?, ?)")
                .params(orphan.eventId(), Topics.ORDER_EVENTS, orderId.toString(), orphan.type(), codec.encode(orphan))
                .update();

        List<ConsumerRecord<String, byte[]>> published = awaitRecordsOfOrder(1);

        assertThat(header(published.get(0), "event-id"))
                .isEqualTo(orphan.eventId().toString());
    }

    @Test
    void publishesNothingWhileAnotherInstancesRelayHoldsTheLock() throws Exception {
        DomainEvent waiting = placed();
        try (Connection otherInstance = dataSource.getConnection();
                Statement statement = otherInstance.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + OutboxRelay.RELAY_LOCK + ")");
            transactions.executeWithoutResult(tx -> outbox.append(waiting));

            // woken by the commit, and then polling: neither may publish while the lock is held
            Thread.sleep(1500);
            assertThat(outboxRows()).isOne();
            assertThat(kafka.readAll(Topics.ORDER_EVENTS))
                    .noneMatch(r -> orderId.toString().equals(r.key()));

            statement.execute("SELECT pg_advisory_unlock(" + OutboxRelay.RELAY_LOCK + ")");
        }

        assertThat(header(awaitRecordsOfOrder(1).get(0), "event-id"))
                .isEqualTo(waiting.eventId().toString());
    }

    @Test
    void refusesAnEventOutsideATransaction() {
        assertThatIllegalStateException().isThrownBy(() -> outbox.append(placed()));
    }

    private List<ConsumerRecord<String, byte[]>> awaitRecordsOfOrder(int count) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> kafka.readAll(Topics.ORDER_EVENTS).stream()
                                .filter(r -> orderId.toString().equals(r.key()))
                                .toList(),
                        records -> records.size() >= count);
    }

    private long outboxRows() {
        return jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single();
    }

    private OrderPlaced placed() {
        return new OrderPlaced(
                UUID.randomUUID(),
                Instant.now(),
                orderId,
                "alice",
                "EUR",
                List.of(new OrderPlaced.Item("BOOK-1", 1, BigDecimal.TEN)),
                BigDecimal.TEN);
    }

    private OrderConfirmed confirmed() {
        return new OrderConfirmed(UUID.randomUUID(), Instant.now(), orderId, "alice", UUID.randomUUID());
    }

    private OrderCancelled cancelled() {
        return new OrderCancelled(UUID.randomUUID(), Instant.now(), orderId, "alice");
    }
}

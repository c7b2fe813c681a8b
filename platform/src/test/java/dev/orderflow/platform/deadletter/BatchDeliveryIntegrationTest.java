package dev.orderflow.platform.deadletter;

import static dev.orderflow.testsupport.KafkaTestClient.onPartition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.platform.messaging.ProcessedEvents;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.RealInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.ActiveProfiles;

/**
 * A consumer applies what it polls a batch at a time, in one transaction; a record that fails in a batch
 * costs the others nothing. Against real Kafka and PostgreSQL: the records are published while the
 * consumer is paused, so that it polls them together.
 */
@SpringBootTest(classes = DeadLetterTestApplication.class)
@ActiveProfiles("dead-letters")
@RealInfrastructure
class BatchDeliveryIntegrationTest extends PaymentEventsFixture {

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    MeterRegistry meters;

    @Test
    void aBatchWithAnUnreadableAndAFailingRecordAppliesEveryOtherOnceAndDeadLettersTheTwo() {
        List<PaymentAuthorized> good = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            good.add(authorized());
        }
        PaymentAuthorized blocked = authorized();
        handler.block(blocked.orderId());
        String unreadableKey = UUID.randomUUID().toString();
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        batch.add(codec.record(good.get(0)));
        batch.add(codec.record(good.get(1)));
        batch.add(new ProducerRecord<>(
                Topics.PAYMENT_EVENTS, unreadableKey, "{not json".getBytes(StandardCharsets.UTF_8)));
        batch.add(codec.record(good.get(2)));
        batch.add(codec.record(good.get(1))); // the same event twice in one batch
        batch.add(codec.record(good.get(3)));
        batch.add(codec.record(blocked));
        good.subList(4, good.size()).forEach(event -> batch.add(codec.record(event)));

        MessageListenerContainer container = listeners.getListenerContainer(Topics.PAYMENT_EVENTS);
        container.pause();
        await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
        List<RecordMetadata> sent = kafka.sendAll(
                batch.stream().map(record -> onPartition(record, 0)).toList());
        container.resume();

        RecordMetadata last = sent.getLast();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> kafka.committedOffset("platform-test", last) == last.offset() + 1);
        for (PaymentAuthorized event : good) {
            assertThat(handler.applications(event.eventId()))
                    .as("applications of %s", event.eventId())
                    .isEqualTo(1);
        }
        assertThat(handler.applications(blocked.eventId())).isZero();

        ConsumerRecord<String, byte[]> unreadable = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> kafka.find(DEAD_LETTERS, record -> unreadableKey.equals(record.key())),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(KafkaTestClient.longHeader(unreadable, "kafka_dlt-original-offset"))
                .isEqualTo(sent.get(2).offset());
        assertThat(KafkaTestClient.header(unreadable, DeadLetters.REASON_HEADER))
                .isNotBlank();
        ConsumerRecord<String, byte[]> failed = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> kafka.find(
                                DEAD_LETTERS,
                                record -> blocked.orderId().toString().equals(record.key())),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(KafkaTestClient.header(failed, DeadLetters.REASON_HEADER))
                .isEqualTo("order " + blocked.orderId() + " is blocked");
        assertThat(KafkaTestClient.longHeader(failed, "kafka_dlt-original-offset"))
                .isEqualTo(sent.get(6).offset());
        List<String> goodKeys =
                good.stream().map(event -> event.orderId().toString()).toList();
        assertThat(kafka.readAll(DEAD_LETTERS))
                .as("dead letters of the records that went through")
                .noneMatch(record -> goodKeys.contains(record.key()));
    }

    @Test
    void anEventAppliedInAnEarlierBatchIsNotAppliedAgainAndTheRestOfItsBatchIs() {
        PaymentAuthorized earlier = authorized();
        RecordMetadata first = kafka.send(onPartition(codec.record(earlier), 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.applications(earlier.eventId()) == 1);
        double redeliveredBefore = redelivered();
        PaymentAuthorized before = authorized();
        PaymentAuthorized after = authorized();

        MessageListenerContainer container = listeners.getListenerContainer(Topics.PAYMENT_EVENTS);
        container.pause();
        await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
        List<RecordMetadata> sent = kafka.sendAll(Stream.of(before, earlier, after)
                .map(event -> onPartition(codec.record(event), 0))
                .toList());
        container.resume();

        RecordMetadata last = sent.getLast();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> kafka.committedOffset("platform-test", last) == last.offset() + 1);
        assertThat(first.offset()).isLessThan(sent.getFirst().offset());
        assertThat(handler.applications(earlier.eventId())).isEqualTo(1);
        assertThat(handler.applications(before.eventId())).isEqualTo(1);
        assertThat(handler.applications(after.eventId())).isEqualTo(1);
        assertThat(redelivered() - redeliveredBefore).isEqualTo(1);
    }

    private double redelivered() {
        Counter counter = meters.find(ProcessedEvents.REDELIVERED_METRIC).counter();
        return counter == null ? 0 : counter.count();
    }

    private static PaymentAuthorized authorized() {
        UUID orderId = UUID.randomUUID();
        return new PaymentAuthorized(
                UUID.randomUUID(), Instant.now(), orderId, UUID.randomUUID(), "alice", new BigDecimal("25.00"), "EUR");
    }
}

package dev.orderflow.platform.deadletter;

import static dev.orderflow.platform.deadletter.DeadLetterTestApplication.authorized;
import static dev.orderflow.testsupport.KafkaTestClient.header;
import static dev.orderflow.testsupport.KafkaTestClient.onPartition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.ActiveProfiles;

/**
 * A record as large as the broker takes (1 MiB by default) is dead-lettered whole, with its reason and bounded
 * exception headers, and the consumer goes on: the dead letter never fails for its size, which would have the
 * record retried for ever. Against a real broker, with its default limits.
 */
@SpringBootTest(classes = DeadLetterTestApplication.class)
@ActiveProfiles("dead-letters")
@RealInfrastructure
class LargeDeadLetterIntegrationTest extends PaymentEventsFixture {

    /** A value that, with its key and headers, just fits the broker's default 1 MiB record (and a producer's). */
    private static final int NEAR_THE_BROKERS_LIMIT = 1024 * 1024 - 2048;

    @Test
    void deadLettersARecordAtTheBrokersLimitWholeWithBoundedHeadersAndGoesOnWithTheNext() {
        PaymentAuthorized honest = authorized("alice");
        String json = new String(codec.encode(authorized("alice")), StandardCharsets.UTF_8);
        String padded = json.replace(
                "\"customerId\":\"alice\"",
                "\"customerId\":\"" + "x".repeat(NEAR_THE_BROKERS_LIMIT - json.length() + "alice".length()) + "\"");
        byte[] huge = padded.getBytes(StandardCharsets.UTF_8);
        assertThat(huge).hasSize(NEAR_THE_BROKERS_LIMIT);
        String key = UUID.randomUUID().toString();

        List<RecordMetadata> sent = kafka.sendAll(List.of(
                new ProducerRecord<>(Topics.PAYMENT_EVENTS, 0, key, huge), onPartition(codec.record(honest), 0)));

        ConsumerRecord<String, byte[]> letter = await().atMost(Duration.ofSeconds(60))
                .until(() -> kafka.find(DEAD_LETTERS, record -> key.equals(record.key())), Optional::isPresent)
                .orElseThrow();
        assertThat(letter.value()).isEqualTo(huge);
        assertThat(header(letter, DeadLetters.REASON_HEADER))
                .startsWith("invalid PaymentAuthorized: customerId must be 1-64")
                .hasSizeLessThanOrEqualTo(500);
        assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).hasSizeLessThanOrEqualTo(1000);
        assertThat(header(letter, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).hasSizeLessThanOrEqualTo(4000);
        assertThat(KafkaTestClient.longHeader(letter, KafkaHeaders.DLT_ORIGINAL_OFFSET))
                .isEqualTo(sent.getFirst().offset());
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.applications(honest.eventId()) == 1);
    }
}

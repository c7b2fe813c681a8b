package dev.orderflow.notificationservice;

import static dev.orderflow.notificationservice.Waits.eventually;
import static dev.orderflow.testsupport.KafkaTestClient.header;
import static dev.orderflow.testsupport.KafkaTestClient.intHeader;
import static dev.orderflow.testsupport.KafkaTestClient.longHeader;
import static dev.orderflow.testsupport.KafkaTestClient.onPartition;
import static dev.orderflow.testsupport.OrderEvents.confirmed;
import static dev.orderflow.testsupport.OrderEvents.newCustomer;
import static dev.orderflow.testsupport.OrderEvents.placed;
import static dev.orderflow.testsupport.OrderEvents.placedAgain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.Topics;
import dev.orderflow.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

/** The service as customers meet it: order events in, notifications out through the REST API. */
@SpringBootTest(
        classes = NotificationServiceApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=notification-service")
@RealInfrastructure
@AutoConfigureRestTestClient
class NotificationServiceIntegrationTest extends NotificationServiceFixture {

    private static final String DEAD_LETTERS = Topics.deadLetter(Topics.ORDER_EVENTS, "notification-service");

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void notifiesEachStepOfAnOrderToItsCustomerNewestFirst() {
        String customer = newCustomer();
        OrderPlaced placed = placed(customer);
        OrderPlaced someoneElses = placed(newCustomer());

        kafka.send(codec.record(someoneElses));
        kafka.send(codec.record(placed));
        kafka.send(codec.record(confirmed(placed)));

        List<JsonNode> notifications = awaitNotifications(customer, 2);
        assertThat(notifications)
                .extracting(n -> n.get("type").asString())
                .containsExactly("ORDER_CONFIRMED", "ORDER_PLACED");
        assertThat(notifications.get(0).get("sequence").longValue())
                .isGreaterThan(notifications.get(1).get("sequence").longValue());
        for (JsonNode notification : notifications) {
            assertThat(notification.propertyNames())
                    .containsExactlyInAnyOrder(
                            "notificationId", "sequence", "customerId", "orderId", "type", "message", "createdAt");
            assertThat(UUID.fromString(notification.get("notificationId").asString()))
                    .isNotNull();
            assertThat(notification.get("customerId").asString()).isEqualTo(customer);
            assertThat(notification.get("orderId").asString())
                    .isEqualTo(placed.orderId().toString());
            assertThat(notification.get("message").asString())
                    .contains(placed.orderId().toString().substring(0, 8));
            assertThat(Instant.parse(notification.get("createdAt").asString())).isNotNull();
        }
    }

    @Test
    void notifiesOncePerOrderAndTypeHoweverOftenTheEventArrives() {
        String customer = newCustomer();
        OrderPlaced placed = placed(customer);
        OrderPlaced placedAgain = placedAgain(placed);
        ProducerRecord<String, byte[]> record = codec.record(placed);

        kafka.send(record);
        kafka.send(record);
        RecordMetadata last = kafka.send(codec.record(placedAgain));
        eventually().until(() -> kafka.committedOffset("notification-service", last) > last.offset());

        assertThat(notifications(customer, 0, 50).get("content"))
                .singleElement()
                .satisfies(n -> assertThat(n.get("type").asString()).isEqualTo("ORDER_PLACED"));
        // Ignored, not failed: a redelivery is no error.
        assertThat(deadLetterReasons(placed.orderId())).isEmpty();
    }

    @Test
    void notifiesOncePerOrderAndTypeAndInOrderWhenTheEventsArePolledTogether() {
        String customer = newCustomer();
        OrderPlaced placed = placed(customer);
        OrderPlaced placedAgain = placedAgain(placed);
        OrderPlaced other = placed(customer);
        // Published while the consumer is paused, on one partition: it polls them together, in this order.
        MessageListenerContainer container = listeners.getListenerContainer(Topics.ORDER_EVENTS);
        container.pause();
        eventually().until(container::isContainerPaused);
        List<RecordMetadata> sent =
                kafka.sendAll(Stream.of(placed, placedAgain, other, confirmed(placed), placed, confirmed(other))
                        .map(event -> onPartition(codec.record(event), 0))
                        .toList());
        container.resume();
        RecordMetadata last = sent.getLast();
        eventually().until(() -> kafka.committedOffset("notification-service", last) > last.offset());

        List<JsonNode> notifications = awaitNotifications(customer, 4);
        assertThat(notifications)
                .extracting(
                        n -> n.get("orderId").asString() + " " + n.get("type").asString())
                .containsExactly(
                        other.orderId() + " ORDER_CONFIRMED",
                        placed.orderId() + " ORDER_CONFIRMED",
                        other.orderId() + " ORDER_PLACED",
                        placed.orderId() + " ORDER_PLACED");
        assertThat(deadLetterReasons(placed.orderId())).isEmpty();
    }

    @Test
    void pagesACustomersNotificationsNewestFirst() {
        String customer = newCustomer();
        OrderPlaced placed = placed(customer);
        kafka.send(codec.record(placed));
        kafka.send(codec.record(confirmed(placed)));
        kafka.send(codec.record(new OrderCancelled(UUID.randomUUID(), Instant.now(), placed.orderId(), customer)));
        awaitNotifications(customer, 3);

        JsonNode first = notifications(customer, 0, 2);
        JsonNode second = notifications(customer, 1, 2);

        assertThat(first.propertyNames()).containsExactlyInAnyOrder("content", "page");
        assertThat(first.get("page").propertyNames())
                .containsExactlyInAnyOrder("size", "number", "totalElements", "totalPages");
        assertThat(types(first)).containsExactly("ORDER_CANCELLED", "ORDER_CONFIRMED");
        assertThat(page(first)).containsExactly(2L, 0L, 3L, 2L);
        assertThat(types(second)).containsExactly("ORDER_PLACED");
        assertThat(page(second)).containsExactly(2L, 1L, 3L, 2L);
    }

    @Test
    void deadLettersARecordItCanNeverReadAndGoesOnWithTheNext() {
        String key = UUID.randomUUID().toString();
        byte[] poison = "not json at all".getBytes(StandardCharsets.UTF_8);
        RecordMetadata sent = kafka.send(new ProducerRecord<>(Topics.ORDER_EVENTS, key, poison));
        String customer = newCustomer();
        kafka.send(onPartition(codec.record(placed(customer)), sent.partition()));

        ConsumerRecord<String, byte[]> letter = eventually()
                .until(() -> kafka.readAll(DEAD_LETTERS, key), letters -> !letters.isEmpty())
                .getFirst();
        assertThat(letter.value()).isEqualTo(poison);
        assertThat(header(letter, "dlt-reason")).contains("unreadable JSON");
        assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDER_EVENTS);
        assertThat(intHeader(letter, "kafka_dlt-original-partition")).isEqualTo(sent.partition());
        assertThat(longHeader(letter, "kafka_dlt-original-offset")).isEqualTo(sent.offset());
        awaitNotifications(customer, 1);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private JsonNode notifications(String customer, int page, int size) {
        return notificationPage("customerId={customer}&page={page}&size={size}", customer, page, size);
    }

    /** Waits for the customer's notifications to reach a count; returns them, newest first. */
    private List<JsonNode> awaitNotifications(String customer, int count) {
        return Waits.awaitContent(() -> notifications(customer, 0, 50), count);
    }

    private static List<String> types(JsonNode page) {
        return StreamSupport.stream(page.get("content").spliterator(), false)
                .map(n -> n.get("type").asString())
                .toList();
    }

    /** size, number, totalElements, totalPages. */
    private static List<Long> page(JsonNode page) {
        JsonNode meta = page.get("page");
        return List.of(
                meta.get("size").longValue(),
                meta.get("number").longValue(),
                meta.get("totalElements").longValue(),
                meta.get("totalPages").longValue());
    }

    private List<String> deadLetterReasons(UUID orderId) {
        return kafka.readAll(DEAD_LETTERS, orderId.toString()).stream()
                .map(letter -> header(letter, "dlt-reason"))
                .toList();
    }
}

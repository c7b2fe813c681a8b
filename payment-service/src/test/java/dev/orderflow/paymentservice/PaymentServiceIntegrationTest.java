package dev.orderflow.paymentservice;

import static dev.orderflow.testsupport.KafkaTestClient.header;
import static dev.orderflow.testsupport.OrderEvents.newCustomer;
import static dev.orderflow.testsupport.OrderEvents.placed;
import static dev.orderflow.testsupport.OrderEvents.placedAgain;
import static dev.orderflow.testsupport.Waits.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.PaymentEvent;
import dev.orderflow.events.PaymentRefunded;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.deadletter.DeadLetter;
import dev.orderflow.platform.deadletter.DeadLetterManagement;
import dev.orderflow.platform.deadletter.DeadLetterStatus;
import dev.orderflow.platform.messaging.DeadLetters;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import dev.orderflow.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.annotation.DirtiesContext;

/** The service as order-service and users meet it: order events in, payment events and the REST API out. */
@SpringBootTest(
        classes = PaymentServiceApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=payment-service")
@RealInfrastructure
@AutoConfigureRestTestClient
// Closed after the class: every context of this module joins the consumer group payment-service, and
// two live ones would split the partitions of order-events between their databases.
@DirtiesContext
class PaymentServiceIntegrationTest extends PaymentServiceFixture {

    @Autowired
    DeadLetterManagement deadLetters;

    @Test
    void authorizesAnOrderWithinTheAvailableCreditAndLowersTheCredit() {
        String customer = newCustomer();
        OrderPlaced order = placed(customer, "250.00");

        kafka.send(codec.record(order));

        PaymentEvent authorized = awaitPaymentEvents(order.orderId(), 1).getFirst();
        assertThat(authorized).isInstanceOf(PaymentAuthorized.class);
        assertThat(authorized.customerId()).isEqualTo(customer);
        assertThat(authorized.amount()).isEqualByComparingTo("250.00");
        assertThat(authorized.currency()).isEqualTo("EUR");
        assertThat(payments(order.orderId())).singleElement().satisfies(payment -> {
            assertThat(payment.paymentId()).isEqualTo(authorized.paymentId());
            assertThat(payment.customerId()).isEqualTo(customer);
            assertThat(payment.amount()).isEqualByComparingTo("250.00");
            assertThat(payment.currency()).isEqualTo("EUR");
            assertThat(payment.status()).isEqualTo("AUTHORIZED");
            assertThat(payment.reason()).isNull();
            assertThat(payment.createdAt()).isNotNull();
            assertThat(payment.updatedAt()).isNotNull();
        });
        assertThat(credit(customer, "EUR")).isEqualTo(new Credit(customer, "EUR", "1000.00", "750.00"));
    }

    @Test
    void publishesPaymentEventsKeyedByOrderWithTheirTypeVersionAndIdInHeaders() {
        OrderPlaced order = placed(newCustomer(), "10.00");

        kafka.send(codec.record(order));

        ConsumerRecord<String, byte[]> record = eventually()
                .until(
                        () -> kafka.readAll(
                                Topics.PAYMENT_EVENTS, order.orderId().toString()),
                        r -> !r.isEmpty())
                .getFirst();
        PaymentEvent event = codec.decode(record, PaymentEvent.class);
        assertThat(header(record, EventCodec.TYPE_HEADER)).isEqualTo("PaymentAuthorized");
        assertThat(header(record, EventCodec.ID_HEADER))
                .isEqualTo(event.eventId().toString());
        assertThat(header(record, EventCodec.VERSION_HEADER)).isEqualTo("1");
    }

    @Test
    void declinesAnOrderBeyondTheAvailableCreditAndLeavesTheCreditAsItWas() {
        String customer = newCustomer();
        OrderPlaced first = placed(customer, "600.00");
        OrderPlaced second = placed(customer, "400.01");

        kafka.send(codec.record(first));
        awaitPaymentEvents(first.orderId(), 1);
        kafka.send(codec.record(second));

        assertThat(awaitPaymentEvents(second.orderId(), 1).getFirst())
                .isInstanceOfSatisfying(PaymentDeclined.class, declined -> {
                    assertThat(declined.reason()).isEqualTo("INSUFFICIENT_CREDIT");
                    assertThat(declined.amount()).isEqualByComparingTo("400.01");
                });
        assertThat(payments(second.orderId())).singleElement().satisfies(payment -> {
            assertThat(payment.status()).isEqualTo("DECLINED");
            assertThat(payment.reason()).isEqualTo("INSUFFICIENT_CREDIT");
        });
        assertThat(credit(customer, "EUR")).isEqualTo(new Credit(customer, "EUR", "1000.00", "400.00"));
    }

    @Test
    void paysAnOrderOnlyOnceHoweverOftenItIsDelivered() {
        String customer = newCustomer();
        OrderPlaced order = placed(customer, "100.00");
        OrderPlaced placedAgain = placedAgain(order);
        ProducerRecord<String, byte[]> record = codec.record(order);

        kafka.send(record);
        kafka.send(record);
        RecordMetadata last = kafka.send(codec.record(placedAgain));
        eventually().until(() -> kafka.committedOffset("payment-service", last) > last.offset());

        assertThat(payments(order.orderId())).hasSize(1);
        assertThat(credit(customer, "EUR").available()).isEqualByComparingTo("900.00");
        // Ignored, not failed: a redelivery is no error.
        assertThat(deadLetterReasons(order.orderId())).isEmpty();
    }

    @Test
    void refundsAnAuthorizedPaymentWhenItsOrderIsCancelled() {
        String customer = newCustomer();
        OrderPlaced order = placed(customer, "300.00");
        kafka.send(codec.record(order));
        UUID paymentId = awaitPaymentEvents(order.orderId(), 1).getFirst().paymentId();

        kafka.send(codec.record(new OrderCancelled(UUID.randomUUID(), Instant.now(), order.orderId(), customer)));

        PaymentEvent refunded = awaitPaymentEvents(order.orderId(), 2).getLast();
        assertThat(refunded).isInstanceOf(PaymentRefunded.class);
        assertThat(refunded.paymentId()).isEqualTo(paymentId);
        assertThat(refunded.amount()).isEqualByComparingTo("300.00");
        assertThat(payments(order.orderId()))
                .singleElement()
                .satisfies(payment -> assertThat(payment.status()).isEqualTo("REFUNDED"));
        assertThat(credit(customer, "EUR").available()).isEqualByComparingTo("1000.00");
    }

    @Test
    void declinesAnOrderWhoseCancellationOvertookItAndHoldsNoCreditForIt() {
        String customer = newCustomer();
        OrderPlaced order = placed(customer, "100.00");
        RecordMetadata cancelled = kafka.send(
                codec.record(new OrderCancelled(UUID.randomUUID(), Instant.now(), order.orderId(), customer)));
        eventually().until(() -> kafka.committedOffset("payment-service", cancelled) > cancelled.offset());

        kafka.send(codec.record(order));

        assertDeclinedForItsCancellationHoldingNoCredit(order);
    }

    @Test
    void declinesAStalePlacementReplayedFromTheDeadLettersAfterItsCancellationAndHoldsNoCreditForIt() {
        String customer = newCustomer();
        OrderPlaced order = placed(customer, "100.00");
        // The placement failed once and waits among the dead letters, as the dead-letter publisher leaves it.
        long sourceOffset = Math.abs(UUID.randomUUID().getMostSignificantBits());
        ProducerRecord<String, byte[]> letter = codec.record(order);
        ProducerRecord<String, byte[]> deadLetter =
                new ProducerRecord<>(DEAD_LETTERS, null, letter.key(), letter.value(), letter.headers());
        deadLetter
                .headers()
                .add(KafkaHeaders.DLT_ORIGINAL_TOPIC, Topics.ORDER_EVENTS.getBytes(StandardCharsets.UTF_8))
                .add(
                        KafkaHeaders.DLT_ORIGINAL_PARTITION,
                        ByteBuffer.allocate(Integer.BYTES).putInt(0).array())
                .add(
                        KafkaHeaders.DLT_ORIGINAL_OFFSET,
                        ByteBuffer.allocate(Long.BYTES).putLong(sourceOffset).array())
                .add(DeadLetters.REASON_HEADER, "failed once".getBytes(StandardCharsets.UTF_8));
        kafka.send(deadLetter);
        // Meanwhile the order was cancelled, and the cancellation processed.
        RecordMetadata cancelled = kafka.send(
                codec.record(new OrderCancelled(UUID.randomUUID(), Instant.now(), order.orderId(), customer)));
        eventually().until(() -> kafka.committedOffset("payment-service", cancelled) > cancelled.offset());
        DeadLetter pending = eventually()
                .until(
                        () -> deadLetters.list(Optional.of(DeadLetterStatus.PENDING), 0, 1000).content().stream()
                                .filter(candidate -> candidate.sourceOffset() == sourceOffset)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();

        assertThat(deadLetters.replay(pending.id()).status()).isEqualTo(DeadLetterStatus.REPLAYED);

        assertDeclinedForItsCancellationHoldingNoCredit(order);
    }

    @Test
    void decidesTheOrdersOfOnePolledBatchInTheirOrderAgainstTheCreditTheOnesBeforeLeft() {
        String alice = newCustomer();
        String bob = newCustomer();
        OrderPlaced first = placed(alice, "600.00");
        OrderPlaced beyond = placed(alice, "500.00");
        OrderPlaced bobs = placed(bob, "100.00");
        OrderPlaced firstAgain = placedAgain(first);
        OrderCancelled cancelled = new OrderCancelled(UUID.randomUUID(), Instant.now(), first.orderId(), alice);
        OrderPlaced afterRefund = placed(alice, "300.00");
        // Published while the consumer is paused, on one partition: it polls them together, in this order.
        MessageListenerContainer container = listeners.getListenerContainer(Topics.ORDER_EVENTS);
        container.pause();
        eventually().until(container::isContainerPaused);
        List<RecordMetadata> sent = kafka.sendAll(Stream.of(first, beyond, bobs, firstAgain, cancelled, afterRefund)
                .map(event -> KafkaTestClient.onPartition(codec.record(event), 0))
                .toList());
        container.resume();
        RecordMetadata last = sent.getLast();
        eventually().until(() -> kafka.committedOffset("payment-service", last) > last.offset());

        assertThat(payments(first.orderId()))
                .singleElement()
                .satisfies(payment -> assertThat(payment.status()).isEqualTo("REFUNDED"));
        assertThat(payments(beyond.orderId())).singleElement().satisfies(payment -> {
            assertThat(payment.status()).isEqualTo("DECLINED");
            assertThat(payment.reason()).isEqualTo(PaymentDeclined.INSUFFICIENT_CREDIT);
        });
        assertThat(payments(bobs.orderId()))
                .singleElement()
                .satisfies(payment -> assertThat(payment.status()).isEqualTo("AUTHORIZED"));
        assertThat(payments(afterRefund.orderId()))
                .singleElement()
                .satisfies(payment -> assertThat(payment.status()).isEqualTo("AUTHORIZED"));
        assertThat(credit(alice, "EUR").available()).isEqualByComparingTo("700.00");
        assertThat(credit(bob, "EUR").available()).isEqualByComparingTo("900.00");
        assertThat(awaitPaymentEvents(first.orderId(), 2))
                .extracting(event -> event.getClass().getSimpleName())
                .containsExactly("PaymentAuthorized", "PaymentRefunded");
    }

    @Test
    void keepsTheCreditOfEachCurrencyApart() {
        String customer = newCustomer();
        OrderPlaced order = placed(customer, "400.00");

        kafka.send(codec.record(order));
        awaitPaymentEvents(order.orderId(), 1);

        assertThat(credit(customer, "EUR").available()).isEqualByComparingTo("600.00");
        assertThat(credit(customer, "USD").available()).isEqualByComparingTo("1000.00");
    }

    @Test
    void aCustomerNeverSeenHasTheDefaultCreditLimit() {
        String customer = newCustomer();

        assertThat(credit(customer, "EUR")).isEqualTo(new Credit(customer, "EUR", "1000.00", "1000.00"));
    }

    @Test
    void listsNoPaymentsForAnOrderNeverPlaced() {
        http.get()
                .uri("/api/payments?orderId={orderId}", UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json("[]");
    }

    @Test
    void answersACurrencyThatIsNotThreeUpperCaseLettersWithAProblem() {
        http.get()
                .uri("/api/customers/{customerId}/credit?currency=eur", newCustomer())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of("currency"));
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** A customer's credit as the contract shows it; equal amounts have the same scale too (1000.00). */
    record Credit(String customerId, String currency, BigDecimal limit, BigDecimal available) {

        Credit(String customerId, String currency, String limit, String available) {
            this(customerId, currency, new BigDecimal(limit), new BigDecimal(available));
        }
    }

    /**
     * Waits for the order's one payment event and checks it declines the order as cancelled, the payment says so
     * too, and the customer's credit is whole.
     */
    private void assertDeclinedForItsCancellationHoldingNoCredit(OrderPlaced order) {
        assertThat(awaitPaymentEvents(order.orderId(), 1).getFirst())
                .isInstanceOfSatisfying(
                        PaymentDeclined.class,
                        declined -> assertThat(declined.reason()).isEqualTo("ORDER_CANCELLED"));
        assertThat(payments(order.orderId())).singleElement().satisfies(payment -> {
            assertThat(payment.status()).isEqualTo("DECLINED");
            assertThat(payment.reason()).isEqualTo("ORDER_CANCELLED");
        });
        assertThat(credit(order.customerId(), "EUR").available()).isEqualByComparingTo("1000.00");
    }

    /** Waits until the service has published this many events for the order; returns them in order. */
    private List<PaymentEvent> awaitPaymentEvents(UUID orderId, int count) {
        return eventually()
                .until(
                        () -> kafka.readAll(Topics.PAYMENT_EVENTS, orderId.toString()).stream()
                                .map(r -> codec.decode(r, PaymentEvent.class))
                                .toList(),
                        events -> events.size() >= count);
    }

    private Credit credit(String customerId, String currency) {
        return http.get()
                .uri("/api/customers/{customerId}/credit?currency={currency}", customerId, currency)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Credit.class)
                .returnResult()
                .getResponseBody();
    }
}

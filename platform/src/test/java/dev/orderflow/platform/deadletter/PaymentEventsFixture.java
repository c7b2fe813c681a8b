package dev.orderflow.platform.deadletter;

import dev.orderflow.events.Topics;
import dev.orderflow.platform.deadletter.DeadLetterTestApplication.PaymentEventsTestHandler;
import dev.orderflow.platform.messaging.EventCodec;
import dev.orderflow.testsupport.KafkaTestClient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the tests that send payment events to {@link DeadLetterTestApplication} share: a Kafka client, the codec,
 * the handler they make fail, and the dead-letter topic its failures go to.
 */
abstract class PaymentEventsFixture {

    static final String DEAD_LETTERS = Topics.deadLetter(Topics.PAYMENT_EVENTS, "platform-test");

    @Autowired
    KafkaTestClient kafka;

    @Autowired
    EventCodec codec;

    @Autowired
    PaymentEventsTestHandler handler;
}

package dev.orderflow.platform.deadletter;

import static dev.orderflow.platform.deadletter.DeadLetterTestApplication.authorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.Topics;
import dev.orderflow.platform.messaging.MessagingProperties;
import dev.orderflow.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * An {@link Error} thrown by a listener (an OutOfMemoryError, say) ends its consumer for good: the service must then
 * say it is unhealthy instead of answering UP while it consumes nothing. Against a real broker.
 */
@SpringBootTest(
        classes = DeadLetterTestApplication.class,
        // a consumer group of its own, and a context closed after the class: its consumer is meant to die
        properties = "orderflow.messaging.service-name=platform-fatal-test")
@ActiveProfiles("dead-letters")
@RealInfrastructure
@DirtiesContext
class ListenerErrorIntegrationTest extends PaymentEventsFixture {

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    MessagingProperties messaging;

    @Autowired
    @Qualifier("consumers")
    HealthIndicator consumers;

    @Test
    void aConsumerStoppedByAnErrorInItsListenerMakesTheServiceUnhealthyAndSaysWhich() {
        ContainerTestUtils.waitForAssignment(
                listeners.getListenerContainer(Topics.PAYMENT_EVENTS), messaging.partitions());
        assertThat(consumers.health().getStatus()).isEqualTo(Status.UP);
        PaymentAuthorized fatal = authorized("alice");
        handler.failFatally(fatal.orderId());

        kafka.send(codec.record(fatal));

        await().atMost(Duration.ofSeconds(30)).until(() -> consumers.health().getStatus(), Status.DOWN::equals);
        Map<?, ?> state = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> (Map<?, ?>) consumers.health().getDetails().get(Topics.PAYMENT_EVENTS),
                        details -> details.containsKey("stopped"));
        assertThat(state.get("expectedState")).isEqualTo(false);
        assertThat(state.get("stopped")).asString().startsWith("ERROR");
        // the dead-letter recorder's consumer is not affected, and listed as well
        assertThat(consumers.health().getDetails()).containsKey("dead-letters");
    }
}

package dev.orderflow.notificationservice.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.notificationservice.notification.Notification;
import dev.orderflow.notificationservice.notification.OrderStep;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NotificationMailUnitTest {

    private static final UUID ORDER = UUID.fromString("3f2a9c1e-7b4d-4e8a-9c1f-2d3e4f5a6b7c");

    @Test
    void tellsTheStepInTheSubjectAndTheNotificationInTheBody() {
        Notification placed = notification(OrderStep.placed(ORDER, "alice", 2, new BigDecimal("25.00"), "EUR"));

        NotificationMail mail = NotificationMail.of(placed, "alice@example.com");

        assertThat(mail.recipient()).isEqualTo("alice@example.com");
        assertThat(mail.subject()).isEqualTo("Order 3f2a9c1e placed");
        assertThat(mail.body())
                .startsWith("Hello alice,")
                .contains(placed.getMessage())
                .contains(ORDER.toString())
                .contains(" UTC");
    }

    @Test
    void namesEveryStepInTheSubject() {
        assertThat(subjectOf(notification(OrderStep.confirmed(ORDER, "alice")))).isEqualTo("Order 3f2a9c1e confirmed");
        assertThat(subjectOf(notification(OrderStep.rejected(ORDER, "alice", "INSUFFICIENT_CREDIT"))))
                .isEqualTo("Order 3f2a9c1e rejected");
        assertThat(subjectOf(notification(OrderStep.cancelled(ORDER, "alice")))).isEqualTo("Order 3f2a9c1e cancelled");
    }

    @Test
    void backsOffExponentiallyUpToTheLongestPause() {
        MailSettings settings = new MailSettings(
                true,
                "notifications@orderflow.local",
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofMinutes(5),
                50);

        assertThat(List.of(1, 2, 3, 4, 8, 9, 1000).stream().map(settings::backoff))
                .containsExactly(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(256),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(5));
    }

    private static String subjectOf(Notification notification) {
        return NotificationMail.of(notification, "alice@example.com").subject();
    }

    private static Notification notification(OrderStep step) {
        return new Notification(
                UUID.randomUUID(), 1, step.customerId(), step.orderId(), step.type(), step.message(), Instant.now());
    }
}

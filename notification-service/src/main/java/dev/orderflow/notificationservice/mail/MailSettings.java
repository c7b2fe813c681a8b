package dev.orderflow.notificationservice.mail;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the notification mail, under {@code notifications.mail}. The SMTP server itself is
 * Spring Boot's {@code spring.mail.*}.
 *
 * @param enabled whether notifications are mailed at all; when false nothing is queued or sent
 * @param from the sender of every mail
 * @param pollInterval how often the relay looks for mail it was not woken for: retries that have come
 *     due, rows queued by another instance or left by a crash
 * @param initialBackoff pause after a mail's first failed attempt; it doubles with every further one
 * @param maxBackoff longest pause between two attempts at one mail
 * @param batchSize most mails sent over one SMTP connection in one relay transaction
 */
@ConfigurationProperties("notifications.mail")
public record MailSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("notifications@orderflow.local") String from,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("2s") Duration initialBackoff,
        @DefaultValue("5m") Duration maxBackoff,
        @DefaultValue("50") int batchSize) {

    /** The pause after a mail's {@code attempts}-th failed attempt. */
    Duration backoff(int attempts) {
        int doublings = Math.clamp(attempts - 1L, 0, 20);
        Duration pause = initialBackoff.multipliedBy(1L << doublings);
        return pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause;
    }
}

package dev.orderflow.notificationservice.mail;

import dev.orderflow.platform.messaging.BatchRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the queued mail of the {@code mail_outbox} over SMTP and deletes each row once the server has
 * accepted its mail: at least once. A mail that fails is kept, its attempt counted, and tried again after
 * an exponential backoff up to {@code max-backoff}; a mail server that is away delays mail and nothing
 * else, since notifications are stored and consumed without it.
 *
 * <p>One thread per service instance, like the platform's {@code OutboxRelay}: a commit that queued mail
 * wakes it at once; it also looks every {@code poll-interval} for retries that have come due. Rows are
 * claimed with {@code FOR UPDATE SKIP LOCKED}, so instances sharing the database each send different
 * mail. Every mail carries a Message-ID made of its notification id, so that the rare second delivery
 * (the server accepted a mail but the row's deletion did not commit) is recognisable as a duplicate.
 */
class MailRelay extends BatchRelay {

    private static final Logger log = LoggerFactory.getLogger(MailRelay.class);

    /** How long a stopping relay waits for a batch in flight; one cut short is rolled back and sent again. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private static final int MAX_ERROR_LENGTH = 2000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JavaMailSender sender;
    private final MailSettings settings;
    private final String messageIdDomain;
    private final Counter sent;
    private final Counter failed;

    MailRelay(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            JavaMailSender sender,
            MailSettings settings,
            MeterRegistry meters) {
        super("mail-relay", settings.batchSize(), settings.pollInterval(), STOP_WAIT);
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.sender = sender;
        this.settings = settings;
        this.messageIdDomain = settings.from().substring(settings.from().lastIndexOf('@') + 1);
        this.sent = Counter.builder("mail.sent")
                .description("Notification mails the SMTP server accepted")
                .register(meters);
        this.failed = Counter.builder("mail.send.failures")
                .description("Failed attempts to send a notification mail; each is tried again")
                .register(meters);
        // Counted when scraped, not after every round: an idle service does no work for it.
        Gauge.builder("mail.outbox.pending", jdbc, MailRelay::countPending)
                .description("Notification mails waiting to be sent, due or backing off")
                .strongReference(true)
                .register(meters);
    }

    @Override
    protected int runBatch() {
        return sendBatch();
    }

    private static long countPending(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM mail_outbox").query(Long.class).single();
    }

    /**
     * Sends the due mail of one batch over one SMTP connection, in one transaction that holds the rows;
     * returns how many rows it claimed.
     */
    int sendBatch() {
        Integer claimed = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    SELECT id, notification_id, recipient, subject, body, attempts FROM mail_outbox
                    WHERE next_attempt_at <= now()
                    ORDER BY next_attempt_at, id
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED""")
                    .param(settings.batchSize())
                    .query((rs, n) -> new Row(
                            rs.getLong("id"),
                            rs.getObject("notification_id", UUID.class),
                            rs.getString("recipient"),
                            rs.getString("subject"),
                            rs.getString("body"),
                            rs.getInt("attempts")))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            Map<Row, Exception> failures = send(rows);
            List<Long> accepted = rows.stream()
                    .filter(row -> !failures.containsKey(row))
                    .map(Row::id)
                    .toList();
            if (!accepted.isEmpty()) {
                jdbc.sql("DELETE FROM mail_outbox WHERE id = ANY(?)")
                        .param(accepted.toArray(Long[]::new))
                        .update();
                sent.increment(accepted.size());
            }
            failures.forEach(this::recordFailure);
            if (!failures.isEmpty()) {
                log.warn(
                        "Could not send {} of {} mails; each is tried again after its backoff: {}",
                        failures.size(),
                        rows.size(),
                        describe(failures.values().iterator().next()));
            }
            return rows.size();
        });
        return claimed == null ? 0 : claimed;
    }

    /** Sends the rows' mail; returns the rows whose mail the server did not accept, and why. */
    private Map<Row, Exception> send(List<Row> rows) {
        Map<Row, Exception> failures = new HashMap<>();
        // MimeMessage has identity equality, so this finds the row of a message the sender reports failed.
        Map<MimeMessage, Row> messages = new LinkedHashMap<>();
        for (Row row : rows) {
            try {
                messages.put(message(row), row);
            } catch (MessagingException | RuntimeException e) {
                failures.put(row, e);
            }
        }
        if (messages.isEmpty()) {
            return failures;
        }
        try {
            sender.send(messages.keySet().toArray(MimeMessage[]::new));
        } catch (MailSendException e) {
            // Names every message that was not accepted, all of them when the server could not be reached;
            // a message it does not name was accepted.
            e.getFailedMessages().forEach((message, cause) -> {
                Row row = messages.get(message);
                if (row != null) {
                    failures.put(row, cause);
                }
            });
        } catch (MailException e) {
            // Authentication or preparation failed: nothing was sent.
            messages.values().forEach(row -> failures.put(row, e));
        }
        return failures;
    }

    private MimeMessage message(Row row) throws MessagingException {
        MimeMessage message = sender.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
        helper.setFrom(settings.from());
        helper.setTo(row.recipient());
        helper.setSubject(row.subject());
        helper.setText(row.body());
        message.setHeader("Message-ID", "<" + row.notificationId() + "@" + messageIdDomain + ">");
        return message;
    }

    private void recordFailure(Row row, Exception cause) {
        int attempts = row.attempts() + 1;
        Duration backoff = settings.backoff(attempts);
        jdbc.sql("""
                UPDATE mail_outbox
                SET attempts = ?, last_error = ?, next_attempt_at = clock_timestamp() + make_interval(secs => ?)
                WHERE id = ?""")
                .params(attempts, describe(cause), backoff.toMillis() / 1000.0, row.id())
                .update();
        failed.increment();
        log.debug(
                "Mail of notification {} not sent (attempt {}), next attempt in {}",
                row.notificationId(),
                attempts,
                backoff);
    }

    /** The failure and its causes on one line, e.g. the connection refused behind a MailConnectException. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && depth < 10; cause = cause.getCause(), depth++) {
            if (text.indexOf(cause.toString()) < 0) { // JavaMail's messages already name their causes
                text.append("; caused by ").append(cause);
            }
        }
        String line = text.toString().replaceAll("\\s+", " ");
        return line.length() <= MAX_ERROR_LENGTH ? line : line.substring(0, MAX_ERROR_LENGTH);
    }

    private record Row(long id, UUID notificationId, String recipient, String subject, String body, int attempts) {}
}

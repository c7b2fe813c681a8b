package dev.orderflow.platform.messaging;

import dev.orderflow.events.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How a consumer treats a record it could not process:
 *
 * <ul>
 *   <li>{@link UnprocessableEventException} (and the framework's own conversion errors): straight to the
 *       dead-letter topic, no retry;
 *   <li>the database or a lock being unavailable for a while: retried with backoff, without limit, never
 *       dead-lettered for that alone;
 *   <li>anything else: retried a few times, then dead-lettered.
 * </ul>
 *
 * Dead-letter topic: {@code <source-topic>.<service>.dlt}. Besides Spring Kafka's {@code kafka_dlt-*}
 * headers (original topic, partition, offset, exception), a short {@value #REASON_HEADER} header says why.
 * The container then goes on with the next record of the partition. The service itself reads its
 * dead-letter topics back into its {@code dead_letter} table, where they can be listed, replayed and
 * discarded ({@code dev.orderflow.platform.deadletter}).
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "dlt-reason";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {}

    /** Header of a dead letter sent without its value, which would have made it too large: the value's size. */
    public static final String VALUE_DROPPED_HEADER = "dlt-value-dropped";

    /** Longest reason, exception message and stack trace in a dead letter's headers, in characters. */
    static final int MAX_REASON_LENGTH = 500;

    static final int MAX_MESSAGE_LENGTH = 1000;

    static final int MAX_STACK_TRACE_LENGTH = 4000;

    /** What a Kafka record takes beyond its key, value and headers' bytes, generously counted. */
    private static final int RECORD_OVERHEAD = 1024;

    /**
     * @param maxRecordSize the largest dead-letter record the producer and the dead-letter topics accept; a source
     *     record so large that it would exceed this with the failure's headers goes without its value (it stays on
     *     the source topic, where the headers say)
     */
    public static DefaultErrorHandler errorHandler(
            KafkaOperations<?, ?> template, String serviceName, MessagingProperties.Retry retry, int maxRecordSize) {
        DeadLetterPublishingRecoverer recoverer = new BoundedDeadLetterPublisher(
                template,
                // partition -1: Kafka picks it from the key, whatever the dead-letter topic's partitions
                (record, ex) -> new TopicPartition(Topics.deadLetter(record.topic(), serviceName), -1),
                maxRecordSize);
        recoverer.setHeadersFunction((record, ex) -> reasonHeader(record, ex, serviceName));
        // A dead letter's size is its record's plus a few kilobytes: never a stack trace of any length (a listener
        // that recursed deeply), never the headers of an earlier failure next to this one's.
        recoverer.setExceptionHeadersCreator(DeadLetters::exceptionHeaders);
        recoverer.setStripPreviousExceptionHeaders(true);

        // The unlimited backoff is the handler's own and the bounded one is chosen per failure: Spring Kafka
        // skips the backoff function altogether when the handler's own backoff allows no retry.
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff(retry));
        handler.addNotRetryableExceptions(UnprocessableEventException.class);
        handler.setBackOffFunction((record, ex) -> isTransient(ex) ? null : bounded(retry));
        return handler;
    }

    /** Spring Kafka's exception headers, each cut to a bounded length. */
    private static void exceptionHeaders(
            Headers headers, Exception ex, boolean isKey, DeadLetterPublishingRecoverer.HeaderNames names) {
        DeadLetterPublishingRecoverer.HeaderNames.ExceptionInfo info = names.getExceptionInfo();
        Throwable failure = ex.getCause() != null ? ex.getCause() : ex;
        headers.add(
                isKey ? info.getKeyExceptionFqcn() : info.getExceptionFqcn(),
                ex.getClass().getName().getBytes(StandardCharsets.UTF_8));
        if (!isKey) {
            headers.add(
                    info.getExceptionCauseFqcn(), failure.getClass().getName().getBytes(StandardCharsets.UTF_8));
        }
        String message = failure.getMessage() != null
                ? failure.getMessage()
                : failure.getClass().getName();
        headers.add(
                isKey ? info.getKeyExceptionMessage() : info.getExceptionMessage(),
                truncate(message, MAX_MESSAGE_LENGTH).getBytes(StandardCharsets.UTF_8));
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        headers.add(
                isKey ? info.getKeyExceptionStacktrace() : info.getExceptionStacktrace(),
                truncate(trace.toString(), MAX_STACK_TRACE_LENGTH).getBytes(StandardCharsets.UTF_8));
    }

    /** The text cut to {@code max} characters, control characters but line breaks and tabs replaced. */
    static String truncate(String text, int max) {
        String cut = text.length() > max ? text.substring(0, max - 1) + "…" : text;
        return cut.replaceAll("[\\p{Cc}&&[^\\n\\t]]", "?");
    }

    /**
     * The dead-letter publisher, except that a dead letter that would exceed the largest record the producer
     * accepts goes without its value: publishing it would fail, and a record that cannot be recovered is
     * retried for ever, holding up its partition.
     */
    private static final class BoundedDeadLetterPublisher extends DeadLetterPublishingRecoverer {

        private final int maxRecordSize;

        BoundedDeadLetterPublisher(
                KafkaOperations<?, ?> template,
                BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destination,
                int maxRecordSize) {
            super(template, destination);
            this.maxRecordSize = maxRecordSize;
        }

        @Override
        protected ProducerRecord<Object, Object> createProducerRecord(
                ConsumerRecord<?, ?> record, TopicPartition topicPartition, Headers headers, byte[] key, byte[] value) {
            ProducerRecord<Object, Object> letter =
                    super.createProducerRecord(record, topicPartition, headers, key, value);
            long size = RECORD_OVERHEAD + bytes(letter.key()) + bytes(letter.value());
            for (Header header : letter.headers()) {
                size += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
            if (size <= maxRecordSize) {
                return letter;
            }
            log.error(
                    "Dead letter of {}-{}@{} would take {} bytes, more than {}: sent without its value, which stays"
                            + " on the source topic",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    size,
                    maxRecordSize);
            letter.headers()
                    .add(
                            VALUE_DROPPED_HEADER,
                            String.valueOf(bytes(letter.value())).getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(
                    letter.topic(), letter.partition(), letter.timestamp(), letter.key(), null, letter.headers());
        }

        private static long bytes(Object keyOrValue) {
            return switch (keyOrValue) {
                case null -> 0;
                case byte[] bytes -> bytes.length;
                // a String key is counted at its most, three bytes a character in UTF-8
                case String text -> 3L * text.length();
                default -> 0;
            };
        }
    }

    /**
     * Failures that pass by themselves: the database unreachable or restarting, a connection lost in the
     * middle of a transaction (its rollback then fails too), a lock or serialization conflict.
     */
    public static boolean isTransient(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof PessimisticLockingFailureException
                    || t instanceof OptimisticLockingFailureException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || (t instanceof SQLException sql && isTransientSqlState(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes that describe the server or the connection, not the data: 08 connection exception,
     * 40 transaction rollback (serialization failure, deadlock), 53 insufficient resources, 57P operator
     * intervention (shutdown, restart), 55000 "database is not accepting connections". No state at all is
     * what a pool reports for a connection it closed under a transaction (HikariCP's "Connection is closed",
     * thrown by the rollback after a lost connection, which then hides the original I/O error).
     */
    private static boolean isTransientSqlState(String state) {
        return state == null
                || (state.startsWith("08")
                        || state.startsWith("40")
                        || state.startsWith("53")
                        || state.startsWith("57P")
                        || state.equals("55000"));
    }

    private static ExponentialBackOff bounded(MessagingProperties.Retry retry) {
        ExponentialBackOff backOff = backOff(retry);
        backOff.setMaxAttempts(retry.maxAttempts() - 1);
        return backOff;
    }

    private static ExponentialBackOff backOff(MessagingProperties.Retry retry) {
        ExponentialBackOff backOff =
                new ExponentialBackOff(retry.initialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        return backOff;
    }

    /**
     * Why a record failed, in a line of at most {@value #MAX_REASON_LENGTH} characters: the message of the {@link UnprocessableEventException} if there is one,
     * else that of the most specific cause.
     */
    public static String reason(Throwable ex) {
        Throwable root = unprocessableCause(ex);
        if (root == null) {
            root = NestedExceptionUtils.getMostSpecificCause(ex);
        }
        String message =
                root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        return truncate(message, MAX_REASON_LENGTH);
    }

    /** Whether the failure is a record that is bad as such: its stack trace tells nothing. */
    public static boolean isUnprocessable(Throwable ex) {
        return unprocessableCause(ex) != null;
    }

    private static Throwable unprocessableCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UnprocessableEventException) {
                return t;
            }
        }
        return null;
    }

    private static Headers reasonHeader(ConsumerRecord<?, ?> record, Exception ex, String serviceName) {
        String reason = reason(ex);
        log.error(
                "Dead-lettering {}-{}@{} (key {}) to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                Topics.deadLetter(record.topic(), serviceName),
                reason,
                // the stack trace only where it can tell something: not for a record that is bad as such
                isUnprocessable(ex) ? null : ex);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}

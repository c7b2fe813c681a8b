package dev.orderflow.platform.messaging;

import dev.orderflow.events.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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
import org.springframework.util.backoff.BackOff;
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
 * The container then goes on with the next record of the partition.
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "dlt-reason";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {}

    public static DefaultErrorHandler errorHandler(
            KafkaOperations<?, ?> template, String serviceName, MessagingProperties.Retry retry) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                // partition -1: Kafka picks it from the key, whatever the dead-letter topic's partitions
                (record, ex) -> new TopicPartition(Topics.deadLetter(record.topic(), serviceName), -1));
        recoverer.setHeadersFunction((record, ex) -> reasonHeader(record, ex, serviceName));

        ExponentialBackOff bounded = backOff(retry);
        bounded.setMaxAttempts(retry.maxAttempts() - 1);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, bounded);
        handler.addNotRetryableExceptions(UnprocessableEventException.class);
        handler.setBackOffFunction((record, ex) -> isTransient(ex) ? backOff(retry) : null);
        return handler;
    }

    /** Failures that pass by themselves: the database or a lock was unavailable for a while. */
    static boolean isTransient(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof PessimisticLockingFailureException
                    || t instanceof OptimisticLockingFailureException) {
                return true;
            }
        }
        return false;
    }

    private static ExponentialBackOff backOff(MessagingProperties.Retry retry) {
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        return backOff;
    }

    private static Headers reasonHeader(ConsumerRecord<?, ?> record, Exception ex, String serviceName) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UnprocessableEventException) {
                root = t;
                break;
            }
        }
        String reason = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        log.error("Dead-lettering {}-{}@{} (key {}) to {}: {}", record.topic(), record.partition(),
                record.offset(), record.key(), Topics.deadLetter(record.topic(), serviceName), reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}

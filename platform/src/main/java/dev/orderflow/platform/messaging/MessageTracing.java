package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.MDC;

/**
 * How the trace of a request follows its events through the outbox and Kafka, so that placing an order, its
 * payment decision, its outcome and its notifications are one trace.
 *
 * <ul>
 *   <li>An outbox row keeps the W3C {@code traceparent} of what wrote it ({@link #traceparentFor}): the consumed
 *       record of the same aggregate that the transaction applies, else the current span (an HTTP request).
 *   <li>The relay sends it as the record's {@value #TRACEPARENT_HEADER} header, through a producer span that
 *       starts when the row was written and ends with Kafka's acknowledgement ({@link #publishing}): the time
 *       an event waited in the outbox shows in the trace.
 *   <li>A consumer applies a polled batch in one transaction ({@link IdempotentConsumer}); each record of it gets
 *       a span of its own, child of the record's {@code traceparent}, that lasts as long as the batch's
 *       transaction ({@link #consuming}). A span per record keeps every order's trace whole; one span for the
 *       batch with links would have cut each trace at the consumer. Spans of a batch therefore overlap, and each
 *       says how many records its batch held.
 * </ul>
 *
 * Without a tracer (tracing off) or for a trace that is not sampled no span is made, and the {@code traceparent}
 * travels on unchanged, so that log lines of one order still share a trace id.
 */
public class MessageTracing {

    public static final String TRACEPARENT_HEADER = "traceparent";

    /** The log context of a consumed event: set around its handling. */
    public static final String EVENT_ID = "eventId";

    public static final String EVENT_TYPE = "eventType";
    public static final String ORDER_ID = "orderId";
    public static final String CUSTOMER_ID = "customerId";

    /**
     * The traceparents of the consumed records that the current thread's transaction applies, by aggregate: a
     * transaction is bound to its thread, and the outbox is written as it commits, on the same thread.
     */
    private static final ThreadLocal<Map<UUID, String>> CAUSES = new ThreadLocal<>();

    private final Tracer tracer;
    private final Propagator propagator;

    /**
     * @param tracer null when tracing is off
     * @param propagator null when tracing is off
     */
    public MessageTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer == Tracer.NOOP || propagator == null ? null : tracer;
        this.propagator = propagator;
    }

    /** Tracing off: traceparents are carried on, no span is made. */
    public static MessageTracing off() {
        return new MessageTracing(null, null);
    }

    /**
     * The traceparent to store with an event of this aggregate written now (an outbox row, a notification): that
     * of the consumed record of the same aggregate being applied, else that of the current span; null if neither.
     * Two records of one aggregate in one batch (an order placed and cancelled at once): the later one's.
     */
    public String traceparentFor(UUID aggregateId) {
        Map<UUID, String> causes = CAUSES.get();
        if (causes != null) {
            String cause = causes.get(aggregateId);
            if (cause != null) {
                return cause;
            }
        }
        if (tracer == null) {
            return null;
        }
        Span current = tracer.currentSpan();
        return current == null ? null : traceparent(current.context());
    }

    /**
     * Runs work in a span that continues a stored trace, such as sending a notification that a consumed event
     * stored; without a sampled traceparent, just runs it.
     */
    public <E extends Exception> void continueTrace(
            String traceparent, String name, Map<String, String> tags, Work<E> work) throws E {
        if (tracer == null || !isSampled(traceparent)) {
            work.run();
            return;
        }
        Span.Builder builder = childOf(traceparent).name(name);
        tags.forEach(builder::tag);
        Span span = builder.start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            work.run();
        } catch (Exception | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Work that may throw a checked exception. */
    @FunctionalInterface
    public interface Work<E extends Exception> {
        void run() throws E;
    }

    // --- the relay

    /**
     * The publication of an outbox row: a producer span child of the row's trace, if it is sampled; the
     * traceparent to send with the record is then that span's, otherwise the row's own.
     */
    Publication publishing(String topic, String key, String eventId, String type, String traceparent, Instant written) {
        if (tracer == null || !isSampled(traceparent)) {
            return new Publication(null, traceparent);
        }
        Span span = childOf(traceparent)
                .name(topic + " publish")
                .kind(Span.Kind.PRODUCER)
                .remoteServiceName("kafka")
                .startTimestamp(written.getEpochSecond() * 1_000_000 + written.getNano() / 1_000, TimeUnit.MICROSECONDS)
                .tag("messaging.system", "kafka")
                .tag("messaging.operation.type", "publish")
                .tag("messaging.destination.name", topic)
                .tag("messaging.kafka.message.key", key)
                .tag("messaging.message.id", eventId)
                .tag("event.type", type)
                .start();
        return new Publication(span, traceparent(span.context()));
    }

    /** A record on its way: its span (if traced) ends with Kafka's answer. */
    record Publication(Span span, String traceparent) {

        void acknowledged(Throwable failure) {
            if (span != null) {
                if (failure != null) {
                    span.error(failure);
                }
                span.end();
            }
        }
    }

    // --- the consumers

    /** The spans of the records of a polled batch that a handler applies (their events, in the same order). */
    <T extends DomainEvent> Consumption consuming(
            String group, List<? extends ConsumerRecord<?, byte[]>> records, List<T> events) {
        return new Consumption(group, records, events);
    }

    /**
     * The records of a batch being applied: a span each, ended by {@link #close}. While they are applied, the
     * outbox rows and notifications written for an aggregate take the traceparent of its record.
     */
    final class Consumption implements AutoCloseable {

        private final List<? extends DomainEvent> events;
        private final Span[] spans;
        private final String[] traceparents;

        private Consumption(
                String group, List<? extends ConsumerRecord<?, byte[]>> records, List<? extends DomainEvent> events) {
            this.events = events;
            this.spans = new Span[events.size()];
            this.traceparents = new String[events.size()];
            for (int i = 0; i < events.size(); i++) {
                ConsumerRecord<?, byte[]> record = records.get(i);
                String parent = header(record, TRACEPARENT_HEADER);
                // A record without a traceparent (published by someone else) starts a trace of its own.
                if (tracer != null && (parent == null || isSampled(parent))) {
                    DomainEvent event = events.get(i);
                    spans[i] = childOf(parent)
                            .name(record.topic() + " process")
                            .kind(Span.Kind.CONSUMER)
                            .remoteServiceName("kafka")
                            .tag("messaging.system", "kafka")
                            .tag("messaging.operation.type", "process")
                            .tag("messaging.destination.name", record.topic())
                            .tag("messaging.consumer.group.name", group)
                            .tag("messaging.destination.partition.id", String.valueOf(record.partition()))
                            .tag("messaging.kafka.offset", record.offset())
                            .tag("messaging.message.id", event.eventId().toString())
                            .tag("messaging.batch.message_count", events.size())
                            .tag("event.type", event.type())
                            .tag(ORDER_ID, event.aggregateId().toString())
                            .start();
                    traceparents[i] = traceparent(spans[i].context());
                } else {
                    traceparents[i] = parent;
                }
            }
        }

        /** Applies the whole batch: with the span of its record in scope if it is the only one. */
        void apply(Runnable work) {
            Map<UUID, String> causes = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                if (traceparents[i] != null) {
                    causes.put(events.get(i).aggregateId(), traceparents[i]);
                }
            }
            if (events.size() == 1) {
                applyOne(0, work);
                return;
            }
            run(causes, null, null, null, work);
        }

        /** Applies the i-th event alone, its span in scope and its ids in the log context. */
        void applyOne(int i, Runnable work) {
            DomainEvent event = events.get(i);
            Map<UUID, String> causes =
                    traceparents[i] == null ? Map.of() : Map.of(event.aggregateId(), traceparents[i]);
            run(causes, spans[i], event, traceparents[i], work);
        }

        /** The batch failed as a whole; its events are applied one by one. */
        void batchFailed(Throwable failure) {
            for (Span span : spans) {
                if (span != null) {
                    span.event("batch failed, applying its records one by one: " + DeadLetters.reason(failure));
                }
            }
        }

        /** The i-th event failed alone: it is retried or dead-lettered, and the events after it are polled again. */
        void failed(int i, Throwable failure) {
            if (spans[i] != null) {
                spans[i].error(failure);
            }
            for (int j = i + 1; j < spans.length; j++) {
                if (spans[j] != null) {
                    spans[j].event("not applied: an earlier record of the batch failed; polled again");
                }
            }
        }

        private void run(Map<UUID, String> causes, Span span, DomainEvent event, String traceparent, Runnable work) {
            Map<UUID, String> outer = CAUSES.get();
            CAUSES.set(causes);
            try (Tracer.SpanInScope scope = span == null ? null : tracer.withSpan(span);
                    LogContext log = LogContext.of(event, traceparent)) {
                work.run();
            } finally {
                if (outer == null) {
                    CAUSES.remove();
                } else {
                    CAUSES.set(outer);
                }
            }
        }

        @Override
        public void close() {
            for (Span span : spans) {
                if (span != null) {
                    span.end();
                }
            }
        }
    }

    /**
     * The ids of a consumed event in the log context (MDC), removed again on close. Its trace id too, taken from its
     * traceparent when no span is in scope to have put it there (a trace that is not sampled): the lines of one
     * order share a trace id whether or not its spans are recorded.
     */
    static final class LogContext implements AutoCloseable {

        /** The key under which Micrometer Tracing puts the trace id of the span in scope. */
        static final String TRACE_ID = "traceId";

        private static final LogContext NONE = new LogContext(false, false);
        private final boolean set;
        private final boolean traceIdSet;

        private LogContext(boolean set, boolean traceIdSet) {
            this.set = set;
            this.traceIdSet = traceIdSet;
        }

        static LogContext of(DomainEvent event) {
            return of(event, null);
        }

        static LogContext of(DomainEvent event, String traceparent) {
            if (event == null) {
                return NONE;
            }
            MDC.put(EVENT_ID, event.eventId().toString());
            MDC.put(EVENT_TYPE, event.type());
            MDC.put(ORDER_ID, event.aggregateId().toString());
            MDC.put(CUSTOMER_ID, event.customerId());
            boolean traceIdSet = false;
            if (traceparent != null && traceparent.length() == 55 && MDC.get(TRACE_ID) == null) {
                MDC.put(TRACE_ID, traceparent.substring(3, 35));
                traceIdSet = true;
            }
            return new LogContext(true, traceIdSet);
        }

        @Override
        public void close() {
            if (set) {
                MDC.remove(EVENT_ID);
                MDC.remove(EVENT_TYPE);
                MDC.remove(ORDER_ID);
                MDC.remove(CUSTOMER_ID);
            }
            if (traceIdSet) {
                MDC.remove(TRACE_ID);
            }
        }
    }

    // --- W3C trace context

    private Span.Builder childOf(String traceparent) {
        if (traceparent == null) {
            return tracer.spanBuilder().setNoParent();
        }
        return propagator.extract(traceparent, (carrier, key) -> TRACEPARENT_HEADER.equals(key) ? carrier : null);
    }

    /** {@code 00-<trace id>-<span id>-<flags>}. */
    static String traceparent(TraceContext context) {
        return "00-" + context.traceId() + "-" + context.spanId()
                + (Boolean.TRUE.equals(context.sampled()) ? "-01" : "-00");
    }

    /** Whether a W3C traceparent has its sampled flag set. */
    static boolean isSampled(String traceparent) {
        return traceparent != null
                && traceparent.length() == 55
                && (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

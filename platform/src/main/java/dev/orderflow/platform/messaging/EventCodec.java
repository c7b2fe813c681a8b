package dev.orderflow.platform.messaging;

import dev.orderflow.events.DomainEvent;
import dev.orderflow.events.Topics;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire format of events: a JSON object with {@code type} and {@code version} beside the record's own
 * fields. Its own mapper keeps the format independent of how the web layer is configured.
 *
 * <p>A decoded event is held to the bounds of the API ({@code dev.orderflow.events.Bounds}, as constraints on the
 * event records) before anyone reads it: an amount with an absurd exponent or scale, a huge string, too many items
 * never reach a handler (where {@code 1e999999999.toPlainString()} alone exhausts the heap). Such a record is
 * {@link UnprocessableEventException unprocessable}, with the offending fields as its reason.
 */
public final class EventCodec {

    public static final String TYPE_HEADER = "event-type";
    public static final String VERSION_HEADER = "event-version";
    public static final String ID_HEADER = "event-id";

    /** Violations named in a reason at most; the rest are counted. */
    private static final int MAX_VIOLATIONS_NAMED = 5;

    /** Longest value of a field quoted in a reason. */
    private static final int MAX_QUOTED = 40;

    private static final Validator DEFAULT_VALIDATOR =
            Validation.buildDefaultValidatorFactory().getValidator();

    private final Validator validator;

    public EventCodec() {
        this(DEFAULT_VALIDATOR);
    }

    public EventCodec(Validator validator) {
        this.validator = validator;
    }

    private final JsonMapper mapper = JsonMapper.builder()
            // Newer producers may add fields; older consumers ignore them.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A key twice in one object is refused: an event's type, version or any field cannot mean two things.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Amounts keep their scale through the JSON tree: 25.00 stays 25.00.
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** Event type name to record class, per family; {@link Topics#types} builds a new map each time. */
    private final ClassValue<Map<String, Class<? extends DomainEvent>>> typesOf = new ClassValue<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected Map<String, Class<? extends DomainEvent>> computeValue(Class<?> family) {
            return Topics.types((Class<? extends DomainEvent>) family);
        }
    };

    public byte[] encode(DomainEvent event) {
        ObjectNode json = mapper.createObjectNode();
        json.put("type", event.type());
        json.put("version", DomainEvent.SCHEMA_VERSION);
        json.setAll((ObjectNode) mapper.valueToTree(event));
        return mapper.writeValueAsBytes(json);
    }

    /** The Kafka record of an event, as the outbox relay publishes it: keyed by its aggregate, with its headers. */
    public ProducerRecord<String, byte[]> record(DomainEvent event) {
        return record(
                Topics.of(event),
                event.aggregateId().toString(),
                event.eventId().toString(),
                event.type(),
                encode(event));
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, String eventId, String type, byte[] json) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, json);
        record.headers()
                .add(ID_HEADER, eventId.getBytes(StandardCharsets.UTF_8))
                .add(TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8))
                .add(VERSION_HEADER, String.valueOf(DomainEvent.SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Decodes a consumed record into an event of the family its topic carries. */
    public <T extends DomainEvent> T decode(ConsumerRecord<?, byte[]> record, Class<T> family) {
        if (record.value() == null) {
            throw new UnprocessableEventException("record has no value");
        }
        JsonNode json;
        try {
            json = mapper.readTree(record.value());
        } catch (JacksonException e) {
            throw new UnprocessableEventException("unreadable JSON: " + e.getOriginalMessage(), e);
        }
        if (!(json instanceof ObjectNode object)) {
            throw new UnprocessableEventException("event is not a JSON object");
        }
        String type = Optional.ofNullable(object.get("type"))
                .filter(JsonNode::isString)
                .map(JsonNode::asString)
                .or(() -> header(record.headers(), TYPE_HEADER))
                .orElseThrow(() -> new UnprocessableEventException("event has no type"));
        int version = object.path("version").asInt(DomainEvent.SCHEMA_VERSION);
        if (version > DomainEvent.SCHEMA_VERSION) {
            throw new UnprocessableEventException("unsupported schema version " + version + " of " + type);
        }
        Class<? extends DomainEvent> eventClass = typesOf.get(family).get(type);
        if (eventClass == null) {
            throw new UnprocessableEventException("unknown event type '" + type + "' on " + record.topic());
        }
        object.remove("type");
        object.remove("version");
        T event;
        try {
            event = family.cast(mapper.treeToValue(object, eventClass));
        } catch (JacksonException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String reason = cause instanceof JacksonException j ? j.getOriginalMessage() : cause.getMessage();
            throw new UnprocessableEventException("invalid " + type + ": " + reason, e);
        }
        Set<ConstraintViolation<T>> violations = validator.validate(event);
        if (!violations.isEmpty()) {
            throw new UnprocessableEventException("invalid " + type + ": " + describe(violations));
        }
        return event;
    }

    /** The first few violations, by field, each with a short quote of the value; how many more there are. */
    private static String describe(Set<? extends ConstraintViolation<?>> violations) {
        String named = violations.stream()
                .map(v -> v.getPropertyPath() + " " + v.getMessage() + " (was " + quote(v.getInvalidValue()) + ")")
                .distinct()
                .sorted(Comparator.naturalOrder())
                .limit(MAX_VIOLATIONS_NAMED)
                .collect(Collectors.joining("; "));
        return violations.size() > MAX_VIOLATIONS_NAMED
                ? named + "; and " + (violations.size() - MAX_VIOLATIONS_NAMED) + " more"
                : named;
    }

    /** A value as a reason quotes it: short, and without control characters (a NUL cannot be stored as text). */
    private static String quote(Object value) {
        if (value instanceof Collection<?> c) {
            return c.size() + " elements";
        }
        // BigDecimal.toString() is short whatever the exponent or scale: 1E+999999999
        String text = String.valueOf(value);
        String shown =
                (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text).replaceAll("\\p{Cc}", "?");
        return text.length() > MAX_QUOTED ? "'" + shown + "' (" + text.length() + " characters)" : "'" + shown + "'";
    }

    static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}

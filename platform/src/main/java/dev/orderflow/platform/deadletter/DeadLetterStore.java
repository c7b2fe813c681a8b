package dev.orderflow.platform.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** The {@code dead_letter} table. */
public class DeadLetterStore {

    private static final String COLUMNS = """
            id, source_topic, source_partition, source_offset, record_key, event_type, reason, headers,
            first_failed_at, last_failed_at, replay_count, status, discard_reason""";

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    public DeadLetterStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A record read from a dead-letter topic. */
    record Arrival(
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            String key,
            String eventType,
            String reason,
            byte[] payload,
            List<DeadLetter.Header> headers,
            Instant failedAt,
            int deadLetterPartition,
            long deadLetterOffset) {}

    /**
     * Stores a dead-lettered record, once per source record. A later dead-letter record of the same
     * source record is a new failure of it (raises the replay count, back to PENDING with the new
     * reason); the same dead-letter record read again changes nothing.
     *
     * @return whether anything changed
     */
    boolean record(Arrival arrival) {
        int changed = jdbc.sql("""
                INSERT INTO dead_letter (source_topic, source_partition, source_offset, record_key, event_type,
                    reason, payload, headers, first_failed_at, last_failed_at, dead_letter_partition,
                    dead_letter_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?)
                ON CONFLICT (source_topic, source_partition, source_offset) DO UPDATE SET
                    reason = EXCLUDED.reason,
                    event_type = coalesce(dead_letter.event_type, EXCLUDED.event_type),
                    last_failed_at = greatest(dead_letter.last_failed_at, EXCLUDED.last_failed_at),
                    replay_count = dead_letter.replay_count + 1,
                    status = 'PENDING',
                    discard_reason = NULL,
                    dead_letter_partition = EXCLUDED.dead_letter_partition,
                    dead_letter_offset = EXCLUDED.dead_letter_offset
                WHERE EXCLUDED.dead_letter_partition <> dead_letter.dead_letter_partition
                   OR EXCLUDED.dead_letter_offset > dead_letter.dead_letter_offset""")
                .params(
                        arrival.sourceTopic(),
                        arrival.sourcePartition(),
                        arrival.sourceOffset(),
                        arrival.key(),
                        arrival.eventType(),
                        arrival.reason(),
                        arrival.payload(),
                        headersJson(arrival.headers()),
                        Timestamp.from(arrival.failedAt()),
                        Timestamp.from(arrival.failedAt()),
                        arrival.deadLetterPartition(),
                        arrival.deadLetterOffset())
                .update();
        return changed == 1;
    }

    /** Newest failure first, without payloads. */
    List<DeadLetter> page(Optional<DeadLetterStatus> status, int page, int size) {
        return jdbc.sql("SELECT " + COLUMNS + ", NULL AS payload FROM dead_letter"
                        + " WHERE (CAST(? AS text) IS NULL OR status = ?)"
                        + " ORDER BY last_failed_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(
                        status.map(Enum::name).orElse(null),
                        status.map(Enum::name).orElse(null),
                        size,
                        (long) page * size)
                .query(this::deadLetter)
                .list();
    }

    long count(Optional<DeadLetterStatus> status) {
        return jdbc.sql("SELECT count(*) FROM dead_letter WHERE (CAST(? AS text) IS NULL OR status = ?)")
                .params(
                        status.map(Enum::name).orElse(null),
                        status.map(Enum::name).orElse(null))
                .query(Long.class)
                .single();
    }

    Optional<DeadLetter> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + ", payload FROM dead_letter WHERE id = ?")
                .param(id)
                .query(this::deadLetter)
                .optional();
    }

    /** The dead letter, locked until the end of the transaction: replays and discards of it take turns. */
    Optional<DeadLetter> lock(long id) {
        return jdbc.sql("SELECT " + COLUMNS + ", payload FROM dead_letter WHERE id = ? FOR UPDATE")
                .param(id)
                .query(this::deadLetter)
                .optional();
    }

    DeadLetter markReplayed(long id) {
        return jdbc.sql("UPDATE dead_letter SET status = 'REPLAYED', replay_count = replay_count + 1"
                        + " WHERE id = ? RETURNING " + COLUMNS + ", payload")
                .param(id)
                .query(this::deadLetter)
                .single();
    }

    DeadLetter markReplayFailed(long id, String reason) {
        return jdbc.sql("UPDATE dead_letter SET replay_count = replay_count + 1, reason = ?,"
                        + " last_failed_at = now() WHERE id = ? RETURNING " + COLUMNS + ", payload")
                .params(reason, id)
                .query(this::deadLetter)
                .single();
    }

    DeadLetter markDiscarded(long id, String reason) {
        return jdbc.sql("UPDATE dead_letter SET status = 'DISCARDED', discard_reason = ?" + " WHERE id = ? RETURNING "
                        + COLUMNS + ", payload")
                .params(reason, id)
                .query(this::deadLetter)
                .single();
    }

    /** Dead letters waiting for an operator; NaN while the database cannot say. */
    double pending() {
        try {
            return jdbc.sql("SELECT count(*) FROM dead_letter WHERE status = 'PENDING'")
                    .query(Long.class)
                    .single();
        } catch (DataAccessException e) {
            return Double.NaN;
        }
    }

    private DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
        return new DeadLetter(
                rs.getLong("id"),
                rs.getString("source_topic"),
                rs.getInt("source_partition"),
                rs.getLong("source_offset"),
                rs.getString("record_key"),
                rs.getString("event_type"),
                rs.getString("reason"),
                rs.getBytes("payload"),
                headers(rs.getString("headers")),
                rs.getTimestamp("first_failed_at").toInstant(),
                rs.getTimestamp("last_failed_at").toInstant(),
                rs.getInt("replay_count"),
                DeadLetterStatus.valueOf(rs.getString("status")),
                rs.getString("discard_reason"));
    }

    /** Text where a value is UTF-8, as most are, so that the column reads well; base64 otherwise. */
    private String headersJson(List<DeadLetter.Header> headers) {
        ArrayNode array = json.createArrayNode();
        for (DeadLetter.Header header : headers) {
            var node = array.addObject().put("name", header.name());
            if (header.value() == null) {
                node.putNull("text");
            } else {
                Optional<String> text = utf8(header.value());
                if (text.isPresent()) {
                    node.put("text", text.get());
                } else {
                    node.put("base64", Base64.getEncoder().encodeToString(header.value()));
                }
            }
        }
        return json.writeValueAsString(array);
    }

    private List<DeadLetter.Header> headers(String column) {
        List<DeadLetter.Header> headers = new ArrayList<>();
        for (JsonNode node : json.readTree(column)) {
            byte[] value = node.hasNonNull("base64")
                    ? Base64.getDecoder().decode(node.get("base64").asString())
                    : node.hasNonNull("text") ? node.get("text").asString().getBytes(StandardCharsets.UTF_8) : null;
            headers.add(new DeadLetter.Header(node.get("name").asString(), value));
        }
        return headers;
    }

    /** The bytes as text if they are well-formed UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}

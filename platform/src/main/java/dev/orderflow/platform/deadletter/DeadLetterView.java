package dev.orderflow.platform.deadletter;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dead letter as the admin API lists it. */
record DeadLetterView(
        long id,
        String sourceTopic,
        int partition,
        long offset,
        String key,
        String eventType,
        String reason,
        Instant firstFailedAt,
        Instant lastFailedAt,
        int replayCount,
        DeadLetterStatus status,
        String discardReason) {

    static DeadLetterView of(DeadLetter letter) {
        return new DeadLetterView(
                letter.id(),
                letter.sourceTopic(),
                letter.sourcePartition(),
                letter.sourceOffset(),
                letter.key(),
                letter.eventType(),
                letter.reason(),
                letter.firstFailedAt(),
                letter.lastFailedAt(),
                letter.replayCount(),
                letter.status(),
                letter.discardReason());
    }

    /**
     * One dead letter with its record: the payload as UTF-8 text, cut after {@link #PAYLOAD_TEXT_LIMIT}
     * bytes, and the record's headers (text, or {@code base64:...} where a value is not UTF-8).
     */
    record Detail(
            @JsonUnwrapped DeadLetterView deadLetter,
            String payload,
            int payloadBytes,
            boolean payloadTruncated,
            Map<String, String> headers) {

        /** Enough to read any event; a record is up to 1 MiB by Kafka's default. */
        static final int PAYLOAD_TEXT_LIMIT = 64 * 1024;

        static Detail of(DeadLetter letter) {
            byte[] payload = letter.payload();
            int bytes = payload == null ? 0 : payload.length;
            boolean truncated = bytes > PAYLOAD_TEXT_LIMIT;
            String text = payload == null ? null : new String(payload, 0, cut(payload), StandardCharsets.UTF_8);
            return new Detail(DeadLetterView.of(letter), text, bytes, truncated, headers(letter.headers()));
        }

        /** Where to cut the payload: at the limit, or before, at the start of a UTF-8 character. */
        private static int cut(byte[] payload) {
            if (payload.length <= PAYLOAD_TEXT_LIMIT) {
                return payload.length;
            }
            int end = PAYLOAD_TEXT_LIMIT;
            // 10xxxxxx continues a character that starts before it
            while (end > 0 && (payload[end] & 0xC0) == 0x80) {
                end--;
            }
            return end;
        }

        private static Map<String, String> headers(List<DeadLetter.Header> headers) {
            Map<String, String> texts = new LinkedHashMap<>();
            for (DeadLetter.Header header : headers) {
                byte[] value = header.value();
                texts.put(
                        header.name(),
                        value == null
                                ? null
                                : DeadLetterStore.utf8(value)
                                        .orElseGet(() ->
                                                "base64:" + Base64.getEncoder().encodeToString(value)));
            }
            return texts;
        }
    }

    /** A page of dead letters, in the shape of the services' other pages. */
    record Page(List<DeadLetterView> content, Metadata page) {

        record Metadata(long size, long number, long totalElements, long totalPages) {}

        static Page of(DeadLetterManagement.Page page, int number, int size) {
            return new Page(
                    page.content().stream().map(DeadLetterView::of).toList(),
                    new Metadata(size, number, page.total(), (page.total() + size - 1) / size));
        }
    }
}

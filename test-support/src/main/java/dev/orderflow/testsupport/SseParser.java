package dev.orderflow.testsupport;

import java.util.function.Consumer;

/**
 * Reads a Server-Sent Events stream line by line (the line terminators already removed), as the HTML
 * standard's event-stream interpretation says: {@code id}, {@code event} and {@code data} fields, data
 * lines joined with a line feed, comments and unknown fields ignored, an event dispatched at a blank line
 * and only if it has data. Not thread-safe: one parser per stream.
 *
 * <p>The benchmark's streams and the tests' read through it alike (the bench takes this class alone from
 * test-support).
 */
public final class SseParser {

    /** One event; {@code id} is the last event id seen on the stream, possibly from an earlier event. */
    public record Event(String id, String type, String data) {

        /** The id as the notification's sequence number. */
        public long sequence() {
            return Long.parseLong(id);
        }
    }

    private final Consumer<Event> events;
    private final Runnable comments;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type = "";
    private String lastEventId;

    public SseParser(Consumer<Event> events) {
        this(events, () -> {});
    }

    /** @param comments told of every comment line, such as a heartbeat */
    public SseParser(Consumer<Event> events, Runnable comments) {
        this.events = events;
        this.comments = comments;
    }

    /** What a client that reconnects sends as {@code Last-Event-ID}; null before any id. */
    public String lastEventId() {
        return lastEventId;
    }

    /** Drops a half-read event, as when a stream broke off; keeps the last event id. */
    public void reset() {
        data.setLength(0);
        hasData = false;
        type = "";
    }

    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            comments.run();
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> type = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: nothing a client of these streams needs
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            events.accept(new Event(lastEventId, type.isEmpty() ? "message" : type, data.toString()));
        }
        reset();
    }
}

package dev.orderflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserUnitTest {

    private final List<SseParser.Event> events = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add);

    private void feed(String... lines) {
        for (String line : lines) {
            parser.line(line);
        }
    }

    @Test
    void dispatchesAnEventAtTheBlankLineWithItsIdTypeAndData() {
        feed("id: 41", "event: ORDER_CONFIRMED", "data: {\"orderId\":\"a\"}", "");

        assertThat(events).containsExactly(new SseParser.Event("41", "ORDER_CONFIRMED", "{\"orderId\":\"a\"}"));
        assertThat(parser.lastEventId()).isEqualTo("41");
    }

    @Test
    void ignoresCommentsAndHeartbeatsAndDispatchesNothingWithoutData() {
        feed(":heartbeat", "", "event: ORDER_PLACED", "");

        assertThat(events).isEmpty();
    }

    @Test
    void tellsOfEveryCommentLine() {
        List<String> comments = new ArrayList<>();
        SseParser counting = new SseParser(events::add, () -> comments.add("comment"));

        counting.line(":heartbeat");
        counting.line("");
        counting.line(": another");

        assertThat(comments).hasSize(2);
        assertThat(events).isEmpty();
    }

    @Test
    void joinsDataLinesAndStripsOnlyOneLeadingSpace() {
        feed("data:first", "data:  second", "");

        assertThat(events).containsExactly(new SseParser.Event(null, "message", "first\n second"));
    }

    @Test
    void keepsTheLastIdForEventsWithoutOneButNotTheTypeOrData() {
        feed("id: 7", "event: ORDER_PLACED", "data: x", "", "data: y", "");

        assertThat(events)
                .containsExactly(
                        new SseParser.Event("7", "ORDER_PLACED", "x"), new SseParser.Event("7", "message", "y"));
    }

    @Test
    void aResetDropsAHalfReadEventButKeepsTheIdToResumeFrom() {
        feed("id: 9", "event: ORDER_PLACED", "data: half");
        parser.reset();
        feed("data: whole", "");

        assertThat(events).containsExactly(new SseParser.Event("9", "message", "whole"));
        assertThat(parser.lastEventId()).isEqualTo("9");
    }
}

package dev.orderflow.notificationservice;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionFactory;
import tools.jackson.databind.JsonNode;

/** The tests' patience with what the service does asynchronously. */
final class Waits {

    private Waits() {}

    static ConditionFactory eventually() {
        return eventually(Duration.ofMillis(100));
    }

    static ConditionFactory eventually(Duration pollInterval) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(pollInterval);
    }

    /** Waits for a page of notifications to hold a count; returns its content, newest first. */
    static List<JsonNode> awaitContent(Callable<JsonNode> page, int count) {
        JsonNode content = eventually().until(page, p -> p.get("content").size() >= count);
        return StreamSupport.stream(content.get("content").spliterator(), false).toList();
    }
}

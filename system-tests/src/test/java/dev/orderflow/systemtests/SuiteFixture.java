package dev.orderflow.systemtests;

import dev.orderflow.testsupport.KafkaTestClient;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;

/**
 * What the end-to-end tests that feed the suite's topics share: the running {@link Suite}, a Kafka client of its
 * broker, a new customer per case, and the notifications a customer got.
 */
abstract class SuiteFixture {

    static Suite suite;
    static KafkaTestClient kafka;

    @BeforeAll
    static void startSuite() {
        suite = Suite.get();
        kafka = new KafkaTestClient(suite.kafka);
    }

    static String newCustomer() {
        return "c-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** The types of the customer's notifications (up to 100), newest first. */
    static List<String> notificationTypes(String customer) {
        JsonNode page = Http.get(suite.notifications.baseUrl() + "/api/notifications?size=100&customerId=" + customer)
                .body();
        return StreamSupport.stream(page.get("content").spliterator(), false)
                .map(n -> n.get("type").asString())
                .toList();
    }
}

package dev.orderflow.notificationservice;

import static dev.orderflow.notificationservice.Waits.eventually;
import static dev.orderflow.testsupport.OrderEvents.confirmed;
import static dev.orderflow.testsupport.OrderEvents.newCustomer;
import static dev.orderflow.testsupport.OrderEvents.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.MediaType.APPLICATION_JSON;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.testsupport.RealInfrastructure;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Notifications by mail, against a real SMTP server in the JVM (GreenMail) besides the real Kafka and
 * PostgreSQL: contact address over REST, order events in, mail out; and a mail server that is down.
 */
@SpringBootTest(
        classes = NotificationServiceApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=notification-service",
            // A consumer group of its own: another cached context of this service must not take its records.
            "orderflow.messaging.service-name=notification-service-mail-test",
            // The operator reads contact addresses back.
            "orderflow.admin.password=secret",
            "notifications.mail.poll-interval=100ms",
            "notifications.mail.initial-backoff=100ms",
            "notifications.mail.max-backoff=500ms"
        })
@RealInfrastructure
@AutoConfigureRestTestClient
class MailIntegrationTest extends NotificationServiceFixture {

    private static final String SMTP_HOST = "127.0.0.1";

    /** Fixed for the context's lifetime, so that a test can stop the server and start it again on it. */
    private static final int SMTP_PORT = freePort();

    /** A new, empty SMTP server for every test. */
    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, SMTP_HOST, ServerSetup.PROTOCOL_SMTP));

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> SMTP_HOST);
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Autowired
    JdbcClient jdbc;

    @Test
    void mailsEveryNotificationOnceToACustomerWithAnAddress() throws Exception {
        String customer = newCustomer();
        String address = customer + "@example.com";
        setAddress(customer, address);
        OrderPlaced placed = placed(customer);

        kafka.send(codec.record(placed));
        kafka.send(codec.record(confirmed(placed)));

        List<JsonNode> notifications = awaitNotifications(customer, 2);
        eventually().until(() -> messagesTo(address).size() >= 2 && queuedFor(address) == 0);
        List<MimeMessage> mails = messagesTo(address);
        String order = "Order " + placed.orderId().toString().substring(0, 8);
        assertThat(mails)
                .extracting(MimeMessage::getSubject)
                .containsExactlyInAnyOrder(order + " placed", order + " confirmed");
        for (JsonNode notification : notifications) {
            MimeMessage mail = mails.stream()
                    .filter(m -> subject(m)
                            .endsWith(notification
                                    .get("type")
                                    .asString()
                                    .substring("ORDER_".length())
                                    .toLowerCase()))
                    .findFirst()
                    .orElseThrow();
            assertThat(mail.getFrom()).extracting(Address::toString).containsExactly("notifications@orderflow.local");
            assertThat((String) mail.getContent())
                    .contains("Hello " + customer)
                    .contains(notification.get("message").asString())
                    .contains(placed.orderId().toString());
            assertThat(mail.getMessageID())
                    .isEqualTo("<" + notification.get("notificationId").asString() + "@orderflow.local>");
        }
    }

    @Test
    void mailsNothingToACustomerWithoutAnAddress() {
        String customer = newCustomer();
        http.get()
                .uri("/api/admin/customers/{customer}/contact", customer)
                .headers(headers -> headers.setBasicAuth("admin", "secret"))
                .exchange()
                .expectStatus()
                .isNotFound();
        OrderPlaced placed = placed(customer);

        kafka.send(codec.record(placed));

        JsonNode notification = awaitNotifications(customer, 1).getFirst();
        // A mail would have been queued in the notification's own transaction.
        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE notification_id = ?::uuid")
                        .param(notification.get("notificationId").asString())
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(smtp.getReceivedMessages())
                .extracting(MailIntegrationTest::subject)
                .noneMatch(
                        subject -> subject.contains(placed.orderId().toString().substring(0, 8)));
    }

    @Test
    void notifiesAtOnceWhileTheMailServerIsDownAndMailsOnceWhenItIsBack() {
        String customer = newCustomer();
        String address = customer + "@example.com";
        setAddress(customer, address);
        smtp.stop();

        kafka.send(codec.record(placed(customer)));

        awaitNotifications(customer, 1);
        // The mail waits, and is tried again with backoff.
        eventually().until(() -> attemptsFor(address) >= 2);
        assertThat(jdbc.sql("SELECT last_error FROM mail_outbox WHERE recipient = ?")
                        .param(address)
                        .query(String.class)
                        .single())
                .isNotBlank();

        smtp.start();

        eventually().until(() -> !messagesTo(address).isEmpty() && queuedFor(address) == 0);
        assertThat(messagesTo(address)).hasSize(1);
    }

    @Test
    void mailsLaterNotificationsToAChangedAddress() {
        String customer = newCustomer();
        String first = customer + "@example.com";
        String second = customer + "@example.org";
        setAddress(customer, first);
        OrderPlaced placed = placed(customer);
        kafka.send(codec.record(placed));
        eventually().until(() -> messagesTo(first).size() == 1 && queuedFor(first) == 0);

        setAddress(customer, second);
        http.get()
                .uri("/api/admin/customers/{customer}/contact", customer)
                .headers(headers -> headers.setBasicAuth("admin", "secret"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json("""
                        {"customerId": "%s", "email": "%s"}""".formatted(customer, second));
        kafka.send(codec.record(confirmed(placed)));

        eventually().until(() -> messagesTo(second).size() == 1 && queuedFor(second) == 0);
        assertThat(messagesTo(first))
                .extracting(MailIntegrationTest::subject)
                .singleElement()
                .asString()
                .endsWith("placed");
        assertThat(messagesTo(second))
                .extracting(MailIntegrationTest::subject)
                .singleElement()
                .asString()
                .endsWith("confirmed");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void setAddress(String customer, String address) {
        http.put()
                .uri("/api/customers/{customer}/contact", customer)
                .contentType(APPLICATION_JSON)
                .body("""
                        {"email": "%s"}""".formatted(address))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json("""
                        {"customerId": "%s", "email": "%s"}""".formatted(customer, address));
    }

    private List<MimeMessage> messagesTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> recipients(message).contains(address))
                .toList();
    }

    private long queuedFor(String address) {
        return jdbc.sql("SELECT count(*) FROM mail_outbox WHERE recipient = ?")
                .param(address)
                .query(Long.class)
                .single();
    }

    private int attemptsFor(String address) {
        return jdbc.sql("SELECT coalesce(max(attempts), 0) FROM mail_outbox WHERE recipient = ?")
                .param(address)
                .query(Integer.class)
                .single();
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            Address[] all = message.getAllRecipients();
            return all == null
                    ? List.of()
                    : Arrays.stream(all).map(Address::toString).toList();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode notifications(String customer) {
        return notificationPage("customerId={customer}", customer);
    }

    /** Waits for the customer's notifications to reach a count; returns them, newest first. */
    private List<JsonNode> awaitNotifications(String customer, int count) {
        return Waits.awaitContent(() -> notifications(customer), count);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

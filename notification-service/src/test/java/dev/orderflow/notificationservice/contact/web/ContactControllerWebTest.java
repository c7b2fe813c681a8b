package dev.orderflow.notificationservice.contact.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.springframework.http.MediaType.APPLICATION_JSON;

import dev.orderflow.notificationservice.contact.CustomerContact;
import dev.orderflow.notificationservice.contact.CustomerContacts;
import dev.orderflow.platform.web.WebAutoConfiguration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(ContactController.class)
@ImportAutoConfiguration(WebAutoConfiguration.class)
class ContactControllerWebTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    CustomerContacts contacts;

    @Test
    void setsACustomersAddress() {
        given(contacts.save(any())).willAnswer(call -> call.getArgument(0));

        assertThat(put("alice", """
                        {"email": "alice@example.com"}""")).hasStatusOk().bodyJson().isStrictlyEqualTo("""
                        {"customerId": "alice", "email": "alice@example.com"}""");
        then(contacts).should().save(new CustomerContact("alice", "alice@example.com"));
    }

    @Test
    void acceptsValuesAtTheLimitsOfEveryRule() {
        given(contacts.save(any())).willAnswer(call -> call.getArgument(0));
        String customerId = "a.B_9-".repeat(10) + "abcd";
        String email = address(254);

        assertThat(put(customerId, "{\"email\": \"" + email + "\"}")).hasStatusOk();
        then(contacts).should().save(new CustomerContact(customerId, email));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addressesBreakingARule")
    void rejectsAnAddressThatBreaksARuleNamingTheField(String rule, String body, String field) {
        assertRejected(put("alice", body), field);
        then(contacts).shouldHaveNoInteractions();
    }

    static Stream<Arguments> addressesBreakingARule() {
        return Stream.of(
                Arguments.of("no @", "{\"email\": \"alice.example.com\"}", "email"),
                Arguments.of("two @", "{\"email\": \"alice@home@example.com\"}", "email"),
                Arguments.of("a space", "{\"email\": \"ali ce@example.com\"}", "email"),
                Arguments.of("empty", "{\"email\": \"\"}", "email"),
                Arguments.of("blank", "{\"email\": \"   \"}", "email"),
                Arguments.of("null", "{\"email\": null}", "email"),
                Arguments.of("missing", "{}", "email"),
                Arguments.of("255 characters", "{\"email\": \"" + address(255) + "\"}", "email"),
                Arguments.of("a number", "{\"email\": 42}", "email"),
                Arguments.of("a NUL", "{\"email\": \"al\\u0000ice@example.com\"}", "email"),
                Arguments.of("malformed JSON", "{\"email\": ", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("customerIdsBreakingTheRule")
    void rejectsACustomerIdThatBreaksTheRule(String rule, String customerId) {
        assertRejected(put(customerId, "{\"email\": \"alice@example.com\"}"), "customerId");
        assertRejected(mvc.get().uri("/api/admin/customers/{customerId}/contact", customerId), "customerId");
        then(contacts).shouldHaveNoInteractions();
    }

    static Stream<Arguments> customerIdsBreakingTheRule() {
        return Stream.of(
                Arguments.of("a space", "ali ce"),
                Arguments.of("a character outside the set", "alice+1"),
                Arguments.of("65 characters", "a".repeat(65)));
    }

    @Test
    void neverAnswersTheAddressOnThePublicPath() {
        given(contacts.find("alice")).willReturn(Optional.of(new CustomerContact("alice", "alice@example.com")));

        assertThat(mvc.get().uri("/api/customers/alice/contact"))
                .hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
                .hasContentType(PROBLEM_JSON)
                .bodyText()
                .doesNotContain("alice@example.com");
        then(contacts).shouldHaveNoInteractions();
    }

    @Test
    void answersTheOperatorWithTheAddressOnFile() {
        given(contacts.find("alice")).willReturn(Optional.of(new CustomerContact("alice", "alice@example.com")));

        assertThat(mvc.get().uri("/api/admin/customers/alice/contact"))
                .hasStatusOk()
                .bodyJson()
                .isStrictlyEqualTo("""
                        {"customerId": "alice", "email": "alice@example.com"}""");
    }

    @Test
    void answersACustomerWithoutAddressWithNotFound() {
        given(contacts.find("bob")).willReturn(Optional.empty());

        assertThat(mvc.get().uri("/api/admin/customers/bob/contact"))
                .hasStatus(HttpStatus.NOT_FOUND)
                .hasContentType(PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("bob");
    }

    private MockMvcTester.MockMvcRequestBuilder put(String customerId, String body) {
        return mvc.put()
                .uri("/api/customers/{customerId}/contact", customerId)
                .contentType(APPLICATION_JSON)
                .content(body);
    }

    /** A 400 problem whose {@code errors} all name the given field. */
    private static void assertRejected(MockMvcTester.MockMvcRequestBuilder request, String field) {
        assertThat(request)
                .hasStatus(HttpStatus.BAD_REQUEST)
                .hasContentType(PROBLEM_JSON)
                .bodyJson()
                .extractingPath("$.errors[*].field")
                .asArray()
                .isNotEmpty()
                .containsOnly(field);
    }

    /** A valid address of the given length: a 64-character local part and a domain of labels. */
    private static String address(int length) {
        StringBuilder domain = new StringBuilder();
        int domainLength = length - 65;
        while (domain.length() < domainLength) {
            int label = Math.min(63, domainLength - domain.length() - (domain.isEmpty() ? 0 : 1));
            if (!domain.isEmpty()) {
                domain.append('.');
            }
            domain.append("d".repeat(label));
        }
        String address = "l".repeat(64) + "@" + domain;
        assertThat(address).hasSize(length);
        return address;
    }
}

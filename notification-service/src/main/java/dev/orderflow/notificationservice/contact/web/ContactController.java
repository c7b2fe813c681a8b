package dev.orderflow.notificationservice.contact.web;

import dev.orderflow.notificationservice.contact.CustomerContact;
import dev.orderflow.notificationservice.contact.CustomerContacts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The address a customer's notifications are also mailed to. */
@RestController
@RequestMapping("/api/customers/{customerId}/contact")
class ContactController {

    private static final String CUSTOMER_ID = "[A-Za-z0-9._-]{1,64}";
    private static final String CUSTOMER_ID_RULE = "must be 1-64 of A-Z a-z 0-9 . _ -";

    private final CustomerContacts contacts;

    ContactController(CustomerContacts contacts) {
        this.contacts = contacts;
    }

    /** Sets or replaces the address; notifications stored from now on are mailed there. */
    @PutMapping
    CustomerContact set(
            @PathVariable @Pattern(regexp = CUSTOMER_ID, message = CUSTOMER_ID_RULE) String customerId,
            @RequestBody @Valid ContactRequest request) {
        return contacts.save(new CustomerContact(customerId, request.email()));
    }

    @GetMapping
    CustomerContact get(@PathVariable @Pattern(regexp = CUSTOMER_ID, message = CUSTOMER_ID_RULE) String customerId) {
        return contacts.find(customerId)
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "Customer " + customerId + " has no contact address"));
    }
}

package dev.orderflow.notificationservice.contact.web;

import dev.orderflow.notificationservice.contact.CustomerContact;
import dev.orderflow.notificationservice.contact.CustomerContacts;
import dev.orderflow.platform.web.CustomerId;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The address a customer's notifications are also mailed to. Anyone may set it (there are no customer accounts to
 * check against), but an address is personal data: it is read back only by the operator, under {@code /api/admin}
 * (HTTP Basic). {@code GET /api/customers/{customerId}/contact} is a {@code 405}.
 */
@RestController
class ContactController {

    private final CustomerContacts contacts;

    ContactController(CustomerContacts contacts) {
        this.contacts = contacts;
    }

    /** Sets or replaces the address; notifications stored from now on are mailed there. */
    @PutMapping("/api/customers/{customerId}/contact")
    CustomerContact set(@PathVariable @CustomerId String customerId, @RequestBody @Valid ContactRequest request) {
        return contacts.save(new CustomerContact(customerId, request.email()));
    }

    @GetMapping("/api/admin/customers/{customerId}/contact")
    CustomerContact get(@PathVariable @CustomerId String customerId) {
        return contacts.find(customerId)
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND, "Customer " + customerId + " has no contact address"));
    }
}

package dev.orderflow.notificationservice.contact;

import java.util.Objects;

/** Where a customer's notifications are mailed. */
public record CustomerContact(String customerId, String email) {

    public CustomerContact {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(email, "email");
    }
}

package dev.orderflow.notificationservice.contact.web;

import dev.orderflow.platform.web.NoControlCharacters;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT /api/customers/{customerId}/contact}; 254 characters is SMTP's limit for a path. */
record ContactRequest(
        @NotBlank @Email @Size(max = 254) @NoControlCharacters
        String email) {}

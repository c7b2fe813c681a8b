package dev.orderflow.paymentservice.credit;

import jakarta.persistence.Embeddable;

@Embeddable
public record CreditId(String customerId, String currency) {}

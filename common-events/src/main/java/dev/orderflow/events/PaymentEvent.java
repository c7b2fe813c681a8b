package dev.orderflow.events;

import java.math.BigDecimal;
import java.util.UUID;

/** Events on {@link Topics#PAYMENT_EVENTS}, published by payment-service. */
public sealed interface PaymentEvent extends DomainEvent permits PaymentAuthorized, PaymentDeclined, PaymentRefunded {

    UUID paymentId();

    String customerId();

    BigDecimal amount();

    String currency();
}

package dev.orderflow.orderservice.order;

import java.util.UUID;

/** What became of an order's payment: what settles a pending order. */
public sealed interface PaymentOutcome {

    UUID orderId();

    record Authorized(UUID orderId, UUID paymentId) implements PaymentOutcome {}

    record Declined(UUID orderId, String reason) implements PaymentOutcome {}
}

package dev.orderflow.paymentservice.payment.web;

import dev.orderflow.paymentservice.payment.Payment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

record PaymentView(
        UUID paymentId,
        UUID orderId,
        String customerId,
        BigDecimal amount,
        String currency,
        String status,
        String reason,
        Instant createdAt,
        Instant updatedAt) {

    static PaymentView of(Payment p) {
        return new PaymentView(
                p.getId(),
                p.getOrderId(),
                p.getCustomerId(),
                p.getAmount(),
                p.getCurrency(),
                p.getStatus().name(),
                p.getReason(),
                p.getCreatedAt(),
                p.getUpdatedAt());
    }
}

package dev.orderflow.paymentservice.payment;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.PaymentEvent;
import dev.orderflow.events.PaymentRefunded;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one payment of an order: authorized or declined when the order is placed, refunded on cancellation. Each
 * of these registers the event that announces it; {@link Payments} stores the payment and its events in one
 * transaction.
 */
public class Payment {

    /** Why an order that was cancelled before its payment was decided is declined. */
    public static final String ORDER_CANCELLED = "ORDER_CANCELLED";

    private final UUID id;
    private final UUID orderId;
    private final String customerId;
    private final BigDecimal amount;
    private final String currency;
    private final String reason;
    private final Instant createdAt;
    private PaymentStatus status;
    private Instant updatedAt;
    private final List<PaymentEvent> events = new ArrayList<>();

    /** A payment as it was stored, or a new one. */
    Payment(
            UUID id,
            UUID orderId,
            String customerId,
            BigDecimal amount,
            String currency,
            PaymentStatus status,
            String reason,
            Instant createdAt,
            Instant updatedAt) {
        this.id = id;
        this.orderId = orderId;
        this.customerId = customerId;
        this.amount = amount;
        this.currency = currency;
        this.status = status;
        this.reason = reason;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
    }

    private static Payment decided(
            UUID orderId, String customerId, BigDecimal amount, String currency, PaymentStatus status, String reason) {
        Instant now = now();
        return new Payment(UUID.randomUUID(), orderId, customerId, amount, currency, status, reason, now, now);
    }

    public static Payment authorized(UUID orderId, String customerId, BigDecimal amount, String currency) {
        Payment payment = decided(orderId, customerId, amount, currency, PaymentStatus.AUTHORIZED, null);
        payment.events.add(new PaymentAuthorized(
                UUID.randomUUID(), payment.createdAt, orderId, payment.id, customerId, amount, currency));
        return payment;
    }

    public static Payment declined(UUID orderId, String customerId, BigDecimal amount, String currency, String reason) {
        Payment payment = decided(orderId, customerId, amount, currency, PaymentStatus.DECLINED, reason);
        payment.events.add(new PaymentDeclined(
                UUID.randomUUID(), payment.createdAt, orderId, payment.id, customerId, amount, currency, reason));
        return payment;
    }

    /** Refunds an authorized payment; true if it was refunded now, false if there was nothing to refund. */
    public boolean refund() {
        if (status != PaymentStatus.AUTHORIZED) {
            return false;
        }
        status = PaymentStatus.REFUNDED;
        updatedAt = now();
        events.add(new PaymentRefunded(UUID.randomUUID(), updatedAt, orderId, id, customerId, amount, currency));
        return true;
    }

    /** The events registered since the payment was created, loaded or last stored, oldest first; then none. */
    List<PaymentEvent> takeEvents() {
        List<PaymentEvent> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    // for tests of the aggregate
    List<PaymentEvent> registeredEvents() {
        return List.copyOf(events);
    }

    /** PostgreSQL keeps microseconds: the payment read back equals the payment stored. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    public UUID getId() {
        return id;
    }

    public UUID getOrderId() {
        return orderId;
    }

    public String getCustomerId() {
        return customerId;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public String getCurrency() {
        return currency;
    }

    public PaymentStatus getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}

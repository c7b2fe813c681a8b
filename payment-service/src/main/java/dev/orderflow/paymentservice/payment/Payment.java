package dev.orderflow.paymentservice.payment;

import dev.orderflow.events.PaymentAuthorized;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.events.PaymentRefunded;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.AbstractAggregateRoot;

/** The one payment of an order: authorized or declined when the order is placed, refunded on cancellation. */
@Entity
@Table(name = "payment")
public class Payment extends AbstractAggregateRoot<Payment> {

    @Id
    private UUID id;

    private UUID orderId;

    private String customerId;

    private BigDecimal amount;

    private String currency;

    @Enumerated(EnumType.STRING)
    private PaymentStatus status;

    private String reason;

    private Instant createdAt;

    private Instant updatedAt;

    /** Null until first stored, which tells Spring Data that the payment is new. */
    @Version
    @Column(nullable = false)
    private Long version;

    protected Payment() {}

    private Payment(
            UUID orderId, String customerId, BigDecimal amount, String currency, PaymentStatus status, String reason) {
        this.id = UUID.randomUUID();
        this.orderId = orderId;
        this.customerId = customerId;
        this.amount = amount;
        this.currency = currency;
        this.status = status;
        this.reason = reason;
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        this.updatedAt = createdAt;
    }

    public static Payment authorized(UUID orderId, String customerId, BigDecimal amount, String currency) {
        Payment payment = new Payment(orderId, customerId, amount, currency, PaymentStatus.AUTHORIZED, null);
        payment.registerEvent(new PaymentAuthorized(
                UUID.randomUUID(), payment.createdAt, orderId, payment.id, customerId, amount, currency));
        return payment;
    }

    public static Payment declined(UUID orderId, String customerId, BigDecimal amount, String currency, String reason) {
        Payment payment = new Payment(orderId, customerId, amount, currency, PaymentStatus.DECLINED, reason);
        payment.registerEvent(new PaymentDeclined(
                UUID.randomUUID(), payment.createdAt, orderId, payment.id, customerId, amount, currency, reason));
        return payment;
    }

    /** Refunds an authorized payment; true if it was refunded now, false if there was nothing to refund. */
    public boolean refund() {
        if (status != PaymentStatus.AUTHORIZED) {
            return false;
        }
        status = PaymentStatus.REFUNDED;
        updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        registerEvent(new PaymentRefunded(UUID.randomUUID(), updatedAt, orderId, id, customerId, amount, currency));
        return true;
    }

    // for tests of the aggregate
    List<Object> registeredEvents() {
        return List.copyOf(domainEvents());
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

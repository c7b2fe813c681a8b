package dev.orderflow.paymentservice.credit;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;

/** A customer's credit in one currency: the limit, and what is left of it. */
@Entity
@Table(name = "customer_credit")
public class CustomerCredit {

    @EmbeddedId
    private CreditId id;

    @Column(name = "credit_limit")
    private BigDecimal limit;

    private BigDecimal available;

    @Version
    private long version;

    protected CustomerCredit() {}

    /** An account with all of its limit available. */
    static CustomerCredit open(CreditId id, BigDecimal limit) {
        CustomerCredit credit = new CustomerCredit();
        credit.id = id;
        credit.limit = limit;
        credit.available = limit;
        return credit;
    }

    /** Takes the amount from the available credit if it fits; false (and no change) otherwise. */
    public boolean reserve(BigDecimal amount) {
        if (amount.compareTo(available) > 0) {
            return false;
        }
        available = available.subtract(amount);
        return true;
    }

    /** Gives a reserved amount back. */
    public void release(BigDecimal amount) {
        BigDecimal restored = available.add(amount);
        if (restored.compareTo(limit) > 0) {
            throw new IllegalStateException("Releasing " + amount + " would exceed the limit of " + id);
        }
        available = restored;
    }

    public CreditId getId() {
        return id;
    }

    public BigDecimal getLimit() {
        return limit;
    }

    public BigDecimal getAvailable() {
        return available;
    }
}

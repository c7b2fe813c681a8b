package dev.orderflow.paymentservice.credit;

import java.math.BigDecimal;

/** A customer's credit in one currency: the limit, and what is left of it. */
public class CustomerCredit {

    private final CreditId id;
    private final BigDecimal limit;
    private BigDecimal available;

    CustomerCredit(CreditId id, BigDecimal limit, BigDecimal available) {
        this.id = id;
        this.limit = limit;
        this.available = available;
    }

    /** An account with all of its limit available. */
    static CustomerCredit open(CreditId id, BigDecimal limit) {
        return new CustomerCredit(id, limit, limit);
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

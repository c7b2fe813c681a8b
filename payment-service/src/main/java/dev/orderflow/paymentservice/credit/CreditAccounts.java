package dev.orderflow.paymentservice.credit;

import dev.orderflow.paymentservice.PaymentProperties;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Customers' credit: every customer starts at the default limit in each currency. */
@Service
public class CreditAccounts {

    private final Credits credits;
    private final BigDecimal defaultLimit;

    CreditAccounts(Credits credits, PaymentProperties properties) {
        this.credits = credits;
        // The scale of the stored accounts (NUMERIC(14, 2)): a customer never seen shows 1000.00 like one
        // seen, not the 1000.0 that YAML makes of 1000.00.
        this.defaultLimit = properties.defaultCreditLimit().setScale(2, RoundingMode.HALF_UP);
    }

    /** What a customer has, as a view: the default limit for a customer never seen. */
    public record Credit(String customerId, String currency, BigDecimal limit, BigDecimal available) {}

    @Transactional(readOnly = true)
    public Credit of(String customerId, String currency) {
        return credits.findById(new CreditId(customerId, currency))
                .map(c -> new Credit(customerId, currency, c.getLimit(), c.getAvailable()))
                .orElseGet(() -> new Credit(customerId, currency, defaultLimit, defaultLimit));
    }

    /** The customer's credit, locked until the caller's transaction ends; created at the default limit. */
    @Transactional(propagation = Propagation.MANDATORY)
    public CustomerCredit lock(String customerId, String currency) {
        CreditId id = new CreditId(customerId, currency);
        credits.createIfAbsent(customerId, currency, defaultLimit);
        return credits.findForUpdate(id).orElseThrow();
    }
}

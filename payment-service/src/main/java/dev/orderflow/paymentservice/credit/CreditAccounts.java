package dev.orderflow.paymentservice.credit;

import dev.orderflow.paymentservice.PaymentProperties;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Customers' credit: every customer starts at the default limit in each currency. */
@Service
public class CreditAccounts {

    private final Credits credits;
    private final JdbcClient jdbc;
    private final BigDecimal defaultLimit;

    CreditAccounts(Credits credits, JdbcClient jdbc, PaymentProperties properties) {
        this.credits = credits;
        this.jdbc = jdbc;
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
        return lockAll(Set.of(id)).get(id);
    }

    /**
     * The credit accounts, locked until the caller's transaction ends, those never seen created at the
     * default limit: one statement creates, one locks, in the order of their ids, so that two transactions
     * locking some of the same accounts wait for each other instead of deadlocking.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<CreditId, CustomerCredit> lockAll(Set<CreditId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<CreditId> sorted = ids.stream()
                .sorted(Comparator.comparing(CreditId::customerId).thenComparing(CreditId::currency))
                .toList();
        jdbc.sql("""
                INSERT INTO customer_credit (customer_id, currency, credit_limit, available, version)
                SELECT customer_id, currency, ?, ?, 0 FROM unnest(?::text[], ?::text[]) AS c(customer_id, currency)
                ORDER BY customer_id, currency
                ON CONFLICT DO NOTHING""")
                .params(
                        defaultLimit,
                        defaultLimit,
                        sorted.stream().map(CreditId::customerId).toArray(String[]::new),
                        sorted.stream().map(CreditId::currency).toArray(String[]::new))
                .update();
        Map<CreditId, CustomerCredit> locked = new HashMap<>();
        credits.findAllForUpdate(sorted).forEach(account -> locked.put(account.getId(), account));
        return locked;
    }
}

package dev.orderflow.paymentservice.credit;

import dev.orderflow.paymentservice.PaymentProperties;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
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

    private final JdbcClient jdbc;
    private final BigDecimal defaultLimit;

    CreditAccounts(JdbcClient jdbc, PaymentProperties properties) {
        this.jdbc = jdbc;
        // The scale of the stored accounts (NUMERIC(14, 2)): a customer never seen shows 1000.00 like one
        // seen, not the 1000.0 that YAML makes of 1000.00.
        this.defaultLimit = properties.defaultCreditLimit().setScale(2, RoundingMode.HALF_UP);
    }

    /** What a customer has, as a view: the default limit for a customer never seen. */
    public record Credit(String customerId, String currency, BigDecimal limit, BigDecimal available) {}

    @Transactional(readOnly = true)
    public Credit of(String customerId, String currency) {
        return jdbc.sql("SELECT credit_limit, available FROM customer_credit WHERE customer_id = ? AND currency = ?")
                .params(customerId, currency)
                .query((rs, n) -> new Credit(
                        customerId, currency, rs.getBigDecimal("credit_limit"), rs.getBigDecimal("available")))
                .optional()
                .orElseGet(() -> new Credit(customerId, currency, defaultLimit, defaultLimit));
    }

    /**
     * The credit accounts, locked until the caller's transaction ends, those never seen created at the default
     * limit; in one statement, in the order of their ids ({@link CreditId#compareTo}), so that two transactions
     * locking some of the same accounts wait for each other instead of deadlocking. (An account that exists is
     * locked by the conflict's update, which changes nothing.)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<CreditId, CustomerCredit> lockAll(Set<CreditId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<CreditId> sorted = ids.stream().sorted().toList();
        Map<CreditId, CustomerCredit> locked = new HashMap<>();
        jdbc.sql("""
                INSERT INTO customer_credit (customer_id, currency, credit_limit, available, version)
                SELECT customer_id, currency, ?, ?, 0 FROM unnest(?::text[], ?::text[]) AS c(customer_id, currency)
                ORDER BY customer_id, currency
                ON CONFLICT (customer_id, currency) DO UPDATE SET available = customer_credit.available
                RETURNING customer_id, currency, credit_limit, available""")
                .params(
                        defaultLimit,
                        defaultLimit,
                        sorted.stream().map(CreditId::customerId).toArray(String[]::new),
                        sorted.stream().map(CreditId::currency).toArray(String[]::new))
                .query((rs, n) -> new CustomerCredit(
                        new CreditId(rs.getString("customer_id"), rs.getString("currency")),
                        rs.getBigDecimal("credit_limit"),
                        rs.getBigDecimal("available")))
                .list()
                .forEach(account -> locked.put(account.getId(), account));
        return locked;
    }

    /** Stores what is available on accounts locked with {@link #lockAll}, in one round trip. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void saveAll(Collection<CustomerCredit> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE customer_credit SET available = u.available, version = customer_credit.version + 1
                FROM unnest(?::text[], ?::text[], ?::numeric[]) AS u(customer_id, currency, available)
                WHERE customer_credit.customer_id = u.customer_id AND customer_credit.currency = u.currency""")
                .params(
                        accounts.stream().map(a -> a.getId().customerId()).toArray(String[]::new),
                        accounts.stream().map(a -> a.getId().currency()).toArray(String[]::new),
                        accounts.stream()
                                .map(a -> a.getAvailable().toPlainString())
                                .toArray(String[]::new))
                .update();
    }
}

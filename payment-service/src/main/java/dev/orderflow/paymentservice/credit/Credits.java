package dev.orderflow.paymentservice.credit;

import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

public interface Credits extends Repository<CustomerCredit, CreditId> {

    Optional<CustomerCredit> findById(CreditId id);

    @Modifying
    @Query(value = """
            INSERT INTO customer_credit (customer_id, currency, credit_limit, available, version)
            VALUES (:customerId, :currency, :limit, :limit, 0)
            ON CONFLICT DO NOTHING""", nativeQuery = true)
    void createIfAbsent(String customerId, String currency, BigDecimal limit);

    /** Concurrent payments of one customer in one currency wait for each other here. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from CustomerCredit c where c.id = :id")
    Optional<CustomerCredit> findForUpdate(CreditId id);
}

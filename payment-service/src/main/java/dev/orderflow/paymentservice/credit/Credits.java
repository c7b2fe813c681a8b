package dev.orderflow.paymentservice.credit;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

public interface Credits extends Repository<CustomerCredit, CreditId> {

    Optional<CustomerCredit> findById(CreditId id);

    /**
     * Concurrent payments of one customer in one currency wait for each other here; the rows are locked in
     * the order of their ids.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from CustomerCredit c where c.id in :ids order by c.id.customerId, c.id.currency")
    List<CustomerCredit> findAllForUpdate(Collection<CreditId> ids);
}

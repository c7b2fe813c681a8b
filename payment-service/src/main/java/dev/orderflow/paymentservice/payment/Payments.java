package dev.orderflow.paymentservice.payment;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface Payments extends ListCrudRepository<Payment, UUID> {

    List<Payment> findByOrderId(UUID orderId);

    /** Which of these orders have a payment. */
    @Query("select p.orderId from Payment p where p.orderId in :orderIds")
    List<UUID> findOrderIdsAmong(Collection<UUID> orderIds);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Payment p where p.orderId = :orderId")
    Optional<Payment> findForUpdateByOrderId(UUID orderId);
}

package dev.orderflow.orderservice.order;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

public interface Orders extends ListCrudRepository<Order, UUID>, PagingAndSortingRepository<Order, UUID> {

    Page<Order> findByCustomerId(String customerId, Pageable pageable);

    /** Loads an order for a transition; concurrent transitions of one order wait for each other. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from Order o where o.id = :id")
    Optional<Order> findForUpdate(UUID id);

    /** Loads orders for transitions, locking them in the order of their ids. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from Order o where o.id in :ids order by o.id")
    List<Order> findAllForUpdate(Collection<UUID> ids);
}

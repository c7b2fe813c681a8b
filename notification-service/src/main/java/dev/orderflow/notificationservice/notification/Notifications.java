package dev.orderflow.notificationservice.notification;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface Notifications extends JpaRepository<Notification, UUID> {

    Page<Notification> findByCustomerId(String customerId, Pageable pageable);

    List<Notification> findByOrderIdIn(Collection<UUID> orderIds);

    /** The notifications stored after a sequence, oldest first. */
    List<Notification> findBySequenceGreaterThanOrderBySequenceAsc(long sequence, Limit limit);

    /** A customer's notifications stored after a sequence, oldest first. */
    List<Notification> findByCustomerIdAndSequenceGreaterThanOrderBySequenceAsc(
            String customerId, long sequence, Limit limit);

    Optional<Notification> findFirstByOrderBySequenceDesc();
}

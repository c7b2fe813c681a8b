package dev.orderflow.notificationservice.notification;

import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

public interface Notifications
        extends ListCrudRepository<Notification, UUID>, PagingAndSortingRepository<Notification, UUID> {

    Page<Notification> findByCustomerId(String customerId, Pageable pageable);

    boolean existsByOrderIdAndType(UUID orderId, NotificationType type);
}

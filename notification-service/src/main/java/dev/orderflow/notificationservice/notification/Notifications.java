package dev.orderflow.notificationservice.notification;

import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface Notifications extends JpaRepository<Notification, UUID> {

    Page<Notification> findByCustomerId(String customerId, Pageable pageable);

    boolean existsByOrderIdAndType(UUID orderId, NotificationType type);
}

package dev.orderflow.notificationservice.notification.web;

import dev.orderflow.notificationservice.notification.NotificationCenter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.Optional;
import org.springframework.data.web.PagedModel;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/notifications")
class NotificationController {

    private final NotificationCenter notifications;

    NotificationController(NotificationCenter notifications) {
        this.notifications = notifications;
    }

    /** Newest first; everyone's notifications when no customer is named. */
    @GetMapping
    PagedModel<NotificationView> list(
            @RequestParam Optional<@Size(min = 1, max = 64) String> customerId,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(100) int size) {
        return new PagedModel<>(notifications.list(customerId, page, size).map(NotificationView::of));
    }
}

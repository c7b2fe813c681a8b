package dev.orderflow.notificationservice.notification.web;

import dev.orderflow.notificationservice.notification.NotificationCenter;
import dev.orderflow.notificationservice.notification.live.LiveNotifications;
import dev.orderflow.notificationservice.notification.live.StreamProperties;
import dev.orderflow.notificationservice.notification.live.Subscription;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.data.web.PagedModel;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/notifications")
class NotificationController {

    private final NotificationCenter notifications;
    private final LiveNotifications live;
    private final StreamProperties stream;

    NotificationController(NotificationCenter notifications, LiveNotifications live, StreamProperties stream) {
        this.notifications = notifications;
        this.live = live;
        this.stream = stream;
    }

    /** Newest first; everyone's notifications when no customer is named. */
    @GetMapping
    PagedModel<NotificationView> list(
            @RequestParam Optional<@Size(min = 1, max = 64) String> customerId,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(100) int size) {
        return new PagedModel<>(notifications.list(customerId, page, size).map(NotificationView::of));
    }

    /**
     * A customer's notifications as Server-Sent Events, as they are stored; with {@code Last-Event-ID}
     * (a sequence), first those stored after it. The request holds no thread while the stream is open.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<SseEmitter> stream(
            @RequestParam @Size(min = 1, max = 64) String customerId,
            @RequestHeader(name = "Last-Event-ID", required = false) @PositiveOrZero Long lastEventId) {
        SseEmitter emitter = new SseEmitter(stream.timeout().toMillis());
        Subscription subscription = live.subscribe(
                customerId,
                lastEventId == null ? OptionalLong.empty() : OptionalLong.of(lastEventId),
                new EventStreamSubscriber(emitter));
        emitter.onCompletion(subscription::cancel);
        emitter.onError(error -> subscription.cancel());
        // The client reconnects and resumes after the last event it received.
        emitter.onTimeout(emitter::complete);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                // nginx would otherwise buffer the stream
                .header("X-Accel-Buffering", "no")
                .body(emitter);
    }
}

package dev.orderflow.notificationservice.notification.web;

import dev.orderflow.notificationservice.notification.NotificationCenter;
import dev.orderflow.notificationservice.notification.live.LiveNotifications;
import dev.orderflow.notificationservice.notification.live.StreamProperties;
import dev.orderflow.notificationservice.notification.live.Subscription;
import dev.orderflow.notificationservice.notification.live.TooManyStreamsException;
import dev.orderflow.platform.messaging.MessageTracing;
import dev.orderflow.platform.web.CustomerId;
import dev.orderflow.platform.web.PagedList;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
    private final MessageTracing tracing;

    NotificationController(
            NotificationCenter notifications, LiveNotifications live, StreamProperties stream, MessageTracing tracing) {
        this.notifications = notifications;
        this.live = live;
        this.stream = stream;
        this.tracing = tracing;
    }

    /** A customer's notifications, newest first. */
    @GetMapping
    PagedList<NotificationView> list(
            @RequestParam @CustomerId String customerId,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(100) int size) {
        return notifications.list(customerId, page, size).map(NotificationView::of);
    }

    /**
     * A customer's notifications as Server-Sent Events, as they are stored; with {@code Last-Event-ID}
     * (a sequence), first those stored after it. The request holds no thread while the stream is open.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<SseEmitter> stream(
            @RequestParam @CustomerId String customerId,
            @RequestHeader(name = "Last-Event-ID", required = false) @PositiveOrZero Long lastEventId) {
        SseEmitter emitter = new SseEmitter(stream.timeout().toMillis());
        try {
            // The first bytes go out at once, headers and all, instead of with the first notification or heartbeat:
            // how long a client should wait before it reconnects after the stream breaks.
            emitter.send(
                    SseEmitter.event().reconnectTime(stream.reconnectAfter().toMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not written yet: the emitter only queues it
        }
        Subscription subscription = live.subscribe(
                customerId,
                lastEventId == null ? OptionalLong.empty() : OptionalLong.of(lastEventId),
                new EventStreamSubscriber(emitter, tracing));
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

    /** Whatever the client accepts (an EventSource asks for {@code text/event-stream}), the refusal is a problem. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooManyStreams(TooManyStreamsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too many streams");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(
                        HttpHeaders.RETRY_AFTER,
                        String.valueOf(Math.max(1, stream.retryAfter().toSeconds())))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}

package dev.orderflow.notificationservice.notification.web;

import dev.orderflow.notificationservice.notification.Notification;
import dev.orderflow.notificationservice.notification.live.Subscriber;
import dev.orderflow.platform.messaging.MessageTracing;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Writes a subscription to a Server-Sent Events stream: each notification is an event with its sequence as
 * {@code id} (what a reconnecting client sends back as {@code Last-Event-ID}), its type as {@code event},
 * and as {@code data} the JSON the list endpoint gives for it.
 */
final class EventStreamSubscriber implements Subscriber {

    private final SseEmitter emitter;
    private final MessageTracing tracing;

    EventStreamSubscriber(SseEmitter emitter, MessageTracing tracing) {
        this.emitter = emitter;
        this.tracing = tracing;
    }

    /** A notification that came live continues the trace of the event that stored it, with a span of its own. */
    @Override
    public void send(Notification notification) throws IOException {
        tracing.continueTrace(
                notification.getTraceparent(),
                "notification stream send",
                Map.of(
                        "orderId", notification.getOrderId().toString(),
                        "customerId", notification.getCustomerId(),
                        "notification.type", notification.getType().name(),
                        "notification.sequence", String.valueOf(notification.getSequence())),
                () -> emitter.send(SseEmitter.event()
                        .id(String.valueOf(notification.getSequence()))
                        .name(notification.getType().name())
                        .data(NotificationView.of(notification), MediaType.APPLICATION_JSON)));
    }

    /** A comment line, which clients ignore. */
    @Override
    public void heartbeat() throws IOException {
        emitter.send(SseEmitter.event().comment("heartbeat"));
    }

    @Override
    public void close() {
        emitter.complete();
    }
}

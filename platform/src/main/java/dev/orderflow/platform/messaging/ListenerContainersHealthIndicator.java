package dev.orderflow.platform.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * DOWN while a listener container of this service is not in the state it should be in: its consumer stopped by
 * anything but a normal stop (an {@link Error} thrown by a listener, such as an {@link OutOfMemoryError}, ends the
 * consumer's thread for good; so do a fenced or unauthorized consumer and a missing offset). The service then
 * consumes nothing while it still answers requests, and only its health can tell an operator, or an orchestrator
 * that restarts it. Each container is listed with its state, and with why its consumer stopped.
 */
public class ListenerContainersHealthIndicator extends AbstractHealthIndicator
        implements ApplicationListener<ConsumerStoppedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ListenerContainersHealthIndicator.class);

    private final KafkaListenerEndpointRegistry registry;

    /** Why the consumers of a container stopped, by listener id, as its last stop event said. */
    private final Map<String, String> stops = new ConcurrentHashMap<>();

    public ListenerContainersHealthIndicator(KafkaListenerEndpointRegistry registry) {
        super("Listener container health check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            String id = container.getListenerId();
            boolean expected = container.isInExpectedState();
            healthy &= expected;
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("running", container.isRunning());
            state.put("expectedState", expected);
            if (!expected) {
                // a concurrent container's consumers are child containers, named after it
                stops.forEach((child, stop) -> {
                    if (child.equals(id) || child.startsWith(id + "-")) {
                        state.put("stopped", stop);
                    }
                });
            }
            details.put(id, state);
        }
        (healthy ? builder.up() : builder.down()).withDetails(details);
    }

    @Override
    public void onApplicationEvent(ConsumerStoppedEvent event) {
        if (event.getReason() == ConsumerStoppedEvent.Reason.NORMAL) {
            return;
        }
        // the container whose consumer stopped: a concurrent container's child
        String id = event.getSource() instanceof MessageListenerContainer container && container.getListenerId() != null
                ? container.getListenerId()
                : String.valueOf(event.getSource());
        stops.put(id, event.getReason() + " at " + Instant.now());
        log.error(
                "The consumer of listener {} stopped ({}) and consumes nothing more; the service reports itself DOWN",
                id,
                event.getReason());
    }
}

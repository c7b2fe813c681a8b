package dev.orderflow.events;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Topic names and which event family each one carries; the only place they are spelled out. */
public final class Topics {

    public static final String ORDER_EVENTS = "order-events";
    public static final String PAYMENT_EVENTS = "payment-events";

    private static final Map<String, Class<? extends DomainEvent>> FAMILIES =
            Map.of(ORDER_EVENTS, OrderEvent.class, PAYMENT_EVENTS, PaymentEvent.class);

    private Topics() {}

    public static String of(DomainEvent event) {
        return switch (event) {
            case OrderEvent e -> ORDER_EVENTS;
            case PaymentEvent e -> PAYMENT_EVENTS;
        };
    }

    /** The topic that carries a family of events, such as {@code OrderEvent}. */
    public static String of(Class<? extends DomainEvent> family) {
        return FAMILIES.entrySet().stream()
                .filter(entry -> entry.getValue().equals(family))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No topic carries " + family.getName()));
    }

    /** The dead-letter topic of one consuming service for one source topic. */
    public static String deadLetter(String sourceTopic, String serviceName) {
        return sourceTopic + "." + serviceName + ".dlt";
    }

    /** The sealed family of events a topic carries. */
    public static Optional<Class<? extends DomainEvent>> family(String topic) {
        return Optional.ofNullable(FAMILIES.get(topic));
    }

    /** Event type name (as in the {@code type} field and header) to record class, for one family. */
    public static Map<String, Class<? extends DomainEvent>> types(Class<? extends DomainEvent> family) {
        return Arrays.stream(family.getPermittedSubclasses())
                .map(c -> c.asSubclass(DomainEvent.class))
                .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));
    }

    public static List<String> all() {
        return List.of(ORDER_EVENTS, PAYMENT_EVENTS);
    }
}

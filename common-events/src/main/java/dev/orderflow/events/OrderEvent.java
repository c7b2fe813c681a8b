package dev.orderflow.events;

/** Events on {@link Topics#ORDER_EVENTS}, published by order-service. */
public sealed interface OrderEvent extends DomainEvent
        permits OrderPlaced, OrderConfirmed, OrderRejected, OrderCancelled {

    String customerId();
}

package dev.orderflow.orderservice.order;

import java.util.UUID;

public class OrderNotCancellableException extends RuntimeException {

    public OrderNotCancellableException(UUID orderId, OrderStatus status) {
        super("Order " + orderId + " is " + status + " and can no longer be cancelled");
    }
}

package dev.orderflow.orderservice.order;

public enum OrderStatus {
    PENDING,
    CONFIRMED,
    REJECTED,
    CANCELLED
}

package dev.orderflow.paymentservice.payment;

public enum PaymentStatus {
    AUTHORIZED,
    DECLINED,
    REFUNDED
}

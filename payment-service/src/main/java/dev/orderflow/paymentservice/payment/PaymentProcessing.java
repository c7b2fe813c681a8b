package dev.orderflow.paymentservice.payment;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.paymentservice.credit.CreditAccounts;
import dev.orderflow.paymentservice.credit.CustomerCredit;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Authorizes or declines placed orders against the customer's credit, and refunds cancelled ones. */
@Service
public class PaymentProcessing {

    private final Payments payments;
    private final CreditAccounts credit;

    PaymentProcessing(Payments payments, CreditAccounts credit) {
        this.payments = payments;
        this.credit = credit;
    }

    /** Applies an order event, in the transaction in which the platform recorded it as processed. */
    @Transactional
    public void on(OrderEvent event) {
        switch (event) {
            case OrderPlaced placed -> pay(placed);
            case OrderCancelled cancelled -> refund(cancelled);
            case OrderConfirmed confirmed -> {
                // the outcome of this service's own decision
            }
            case OrderRejected rejected -> {
                // the outcome of this service's own decision
            }
        }
    }

    @Transactional(readOnly = true)
    public List<Payment> ofOrder(UUID orderId) {
        return payments.findByOrderId(orderId);
    }

    private void pay(OrderPlaced order) {
        if (payments.existsByOrderId(order.orderId())) {
            return; // exactly one payment per order, even if the order was placed again under a new event id
        }
        CustomerCredit account = credit.lock(order.customerId(), order.currency());
        Payment payment = account.reserve(order.total())
                ? Payment.authorized(order.orderId(), order.customerId(), order.total(), order.currency())
                : Payment.declined(
                        order.orderId(),
                        order.customerId(),
                        order.total(),
                        order.currency(),
                        PaymentDeclined.INSUFFICIENT_CREDIT);
        payments.save(payment);
    }

    /** Cancellation arrives after the order's placement (same key, same partition), so a payment exists. */
    private void refund(OrderCancelled cancelled) {
        payments.findForUpdateByOrderId(cancelled.orderId()).ifPresent(payment -> {
            if (payment.refund()) {
                credit.lock(payment.getCustomerId(), payment.getCurrency()).release(payment.getAmount());
                payments.save(payment);
            }
        });
    }
}

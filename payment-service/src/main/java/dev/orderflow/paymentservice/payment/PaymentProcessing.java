package dev.orderflow.paymentservice.payment;

import dev.orderflow.events.OrderCancelled;
import dev.orderflow.events.OrderConfirmed;
import dev.orderflow.events.OrderEvent;
import dev.orderflow.events.OrderPlaced;
import dev.orderflow.events.OrderRejected;
import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.paymentservice.credit.CreditAccounts;
import dev.orderflow.paymentservice.credit.CreditId;
import dev.orderflow.paymentservice.credit.CustomerCredit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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

    /**
     * Applies order events in their order, in the transaction in which the platform recorded them as
     * processed. The payments the placed orders already have are read in one query and the credit accounts
     * they draw on locked in another, so a batch costs a few round trips, not a few per order.
     */
    @Transactional
    public void onAll(List<OrderEvent> events) {
        List<OrderPlaced> placed = events.stream()
                .filter(OrderPlaced.class::isInstance)
                .map(OrderPlaced.class::cast)
                .toList();
        // exactly one payment per order, even if the order was placed again under a new event id
        Set<UUID> paid = placed.isEmpty()
                ? new HashSet<>()
                : new HashSet<>(payments.findOrderIdsAmong(
                        placed.stream().map(OrderPlaced::orderId).toList()));
        Map<CreditId, CustomerCredit> accounts = credit.lockAll(placed.stream()
                .filter(order -> !paid.contains(order.orderId()))
                .map(order -> new CreditId(order.customerId(), order.currency()))
                .collect(Collectors.toSet()));
        for (OrderEvent event : events) {
            switch (event) {
                case OrderPlaced order -> {
                    if (paid.add(order.orderId())) {
                        pay(order, accounts.get(new CreditId(order.customerId(), order.currency())));
                    }
                }
                case OrderCancelled cancelled -> refund(cancelled);
                case OrderConfirmed confirmed -> {
                    // the outcome of this service's own decision
                }
                case OrderRejected rejected -> {
                    // the outcome of this service's own decision
                }
            }
        }
    }

    @Transactional(readOnly = true)
    public List<Payment> ofOrder(UUID orderId) {
        return payments.findByOrderId(orderId);
    }

    private void pay(OrderPlaced order, CustomerCredit account) {
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

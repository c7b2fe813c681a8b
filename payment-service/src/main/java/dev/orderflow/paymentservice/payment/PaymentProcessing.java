package dev.orderflow.paymentservice.payment;

import dev.orderflow.events.PaymentDeclined;
import dev.orderflow.paymentservice.credit.CreditAccounts;
import dev.orderflow.paymentservice.credit.CreditId;
import dev.orderflow.paymentservice.credit.CustomerCredit;
import dev.orderflow.paymentservice.payment.PaymentCommand.Cancel;
import dev.orderflow.paymentservice.payment.PaymentCommand.Charge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides the payment of each placed order against the customer's credit, refunds the payments of cancelled
 * orders, and declines the payment of an order that was cancelled before its payment was decided.
 */
@Service
public class PaymentProcessing {

    private final Payments payments;
    private final CancelledOrders cancelledOrders;
    private final CreditAccounts credit;

    PaymentProcessing(Payments payments, CancelledOrders cancelledOrders, CreditAccounts credit) {
        this.payments = payments;
        this.cancelledOrders = cancelledOrders;
        this.credit = credit;
    }

    /**
     * Carries out the commands in their order, in one transaction. Whatever the batch needs is read and locked
     * first, a few queries for all of it: which orders already have a payment or were cancelled, the payments to
     * refund, and every credit account involved, locked in one order so that concurrent batches never deadlock.
     * Exactly one payment per order, even if an order is placed again under a new event id.
     */
    @Transactional
    public void process(List<PaymentCommand> commands) {
        Set<UUID> charged = commands.stream()
                .filter(Charge.class::isInstance)
                .map(PaymentCommand::orderId)
                .collect(Collectors.toSet());
        Set<UUID> cancelling = commands.stream()
                .filter(Cancel.class::isInstance)
                .map(PaymentCommand::orderId)
                .collect(Collectors.toSet());
        Payments.Standing standing = charged.isEmpty()
                ? new Payments.Standing(new HashSet<>(), new HashSet<>())
                : payments.standingOf(charged);
        Set<UUID> paid = standing.paid();
        Set<UUID> cancelled = standing.cancelled();
        Map<UUID, Payment> toRefund = cancelling.isEmpty()
                ? new HashMap<>()
                : payments.lockOfOrders(cancelling).stream()
                        .collect(Collectors.toMap(Payment::getOrderId, Function.identity()));

        Set<CreditId> accountIds = new HashSet<>();
        commands.stream()
                .filter(command -> command instanceof Charge charge
                        && !paid.contains(charge.orderId())
                        && !cancelled.contains(charge.orderId()))
                .forEach(command -> accountIds.add(((Charge) command).creditId()));
        toRefund.values().stream()
                .filter(payment -> payment.getStatus() == PaymentStatus.AUTHORIZED)
                .forEach(payment -> accountIds.add(creditId(payment)));
        Map<CreditId, CustomerCredit> accounts = credit.lockAll(accountIds);

        Map<UUID, Payment> created = new LinkedHashMap<>();
        Set<Payment> refunded = new LinkedHashSet<>();
        Set<CustomerCredit> changedAccounts = new LinkedHashSet<>();
        for (PaymentCommand command : commands) {
            switch (command) {
                case Charge charge -> {
                    if (paid.add(charge.orderId())) {
                        Payment payment = cancelled.contains(charge.orderId())
                                ? Payment.declined(
                                        charge.orderId(),
                                        charge.customerId(),
                                        charge.amount(),
                                        charge.currency(),
                                        Payment.ORDER_CANCELLED)
                                : decide(charge, accounts.get(charge.creditId()), changedAccounts);
                        created.put(charge.orderId(), payment);
                    }
                }
                case Cancel cancel -> {
                    Payment payment = created.containsKey(cancel.orderId())
                            ? created.get(cancel.orderId())
                            : toRefund.get(cancel.orderId());
                    if (payment == null) {
                        // The cancellation came first: the placement, when it comes, is declined.
                        cancelledOrders.remember(cancel.orderId());
                        cancelled.add(cancel.orderId());
                    } else if (payment.refund()) {
                        CustomerCredit account = accounts.get(creditId(payment));
                        account.release(payment.getAmount());
                        changedAccounts.add(account);
                        if (!created.containsKey(cancel.orderId())) {
                            refunded.add(payment);
                        }
                    }
                }
            }
        }
        payments.insertAll(new ArrayList<>(created.values()));
        refunded.forEach(payments::update);
        credit.saveAll(changedAccounts);
    }

    @Transactional(readOnly = true)
    public List<Payment> ofOrder(UUID orderId) {
        return payments.ofOrder(orderId);
    }

    private static Payment decide(Charge charge, CustomerCredit account, Set<CustomerCredit> changedAccounts) {
        if (account.reserve(charge.amount())) {
            changedAccounts.add(account);
            return Payment.authorized(charge.orderId(), charge.customerId(), charge.amount(), charge.currency());
        }
        return Payment.declined(
                charge.orderId(),
                charge.customerId(),
                charge.amount(),
                charge.currency(),
                PaymentDeclined.INSUFFICIENT_CREDIT);
    }

    private static CreditId creditId(Payment payment) {
        return new CreditId(payment.getCustomerId(), payment.getCurrency());
    }
}

package dev.orderflow.paymentservice.payment;

import dev.orderflow.paymentservice.credit.CreditId;
import java.math.BigDecimal;
import java.util.UUID;

/** What this service is asked to do about an order's payment. */
public sealed interface PaymentCommand {

    UUID orderId();

    /** Decide the payment of a placed order: authorize it against the customer's credit, or decline it. */
    record Charge(UUID orderId, String customerId, BigDecimal amount, String currency) implements PaymentCommand {

        /** The account the amount is drawn on. */
        CreditId creditId() {
            return new CreditId(customerId, currency);
        }
    }

    /** The order was cancelled: refund its payment, or decline the payment it has not had yet. */
    record Cancel(UUID orderId) implements PaymentCommand {}
}

package dev.orderflow.paymentservice.credit;

import java.util.Comparator;

/** A customer's account in one currency. */
public record CreditId(String customerId, String currency) implements Comparable<CreditId> {

    private static final Comparator<CreditId> ORDER =
            Comparator.comparing(CreditId::customerId).thenComparing(CreditId::currency);

    /** The order in which accounts are locked, so that two transactions never wait for each other in a circle. */
    @Override
    public int compareTo(CreditId other) {
        return ORDER.compare(this, other);
    }
}

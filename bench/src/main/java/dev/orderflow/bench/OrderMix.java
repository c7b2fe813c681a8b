package dev.orderflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The orders of a run, each with the outcome payment-service must give it. Customers take turns; a share
 * of the orders costs more than the whole credit limit and must be declined. The others must be
 * authorized: each customer moves to another currency (each has its own credit) before the orders it has
 * placed in one could add up to more than the limit, whatever order payment-service decides them in.
 * Not thread-safe: the one thread that sends the orders draws them.
 */
final class OrderMix {

    /** Currencies the customers go through; then made-up ones, which the services accept as well. */
    private static final List<String> CURRENCIES =
            List.of("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY");

    record Order(String customerId, String currency, String json, long totalCents, boolean declineExpected) {}

    private final String runId;
    private final int customers;
    private final double declineShare;
    private final long limitCents;
    private final SplittableRandom random;
    private final int[] currencyOf;
    private final long[] spentCents;
    private long drawn;

    OrderMix(String runId, int customers, double declineShare, long limitCents, long seed) {
        this.runId = runId;
        this.customers = customers;
        this.declineShare = declineShare;
        this.limitCents = limitCents;
        this.random = new SplittableRandom(seed);
        this.currencyOf = new int[customers];
        this.spentCents = new long[customers];
    }

    static String customerId(String runId, int n) {
        return "bench-" + runId + "-" + n;
    }

    List<String> customerIds() {
        List<String> ids = new ArrayList<>(customers);
        for (int n = 0; n < customers; n++) {
            ids.add(customerId(runId, n));
        }
        return ids;
    }

    static String currency(int index) {
        if (index < CURRENCIES.size()) {
            return CURRENCIES.get(index);
        }
        int n = index - CURRENCIES.size();
        if (n >= 26 * 26) {
            throw new IllegalStateException("A customer ran out of currencies; use more customers");
        }
        return "Q" + (char) ('A' + n / 26) + (char) ('A' + n % 26);
    }

    Order next() {
        int customer = (int) (drawn++ % customers);
        boolean decline = random.nextDouble() < declineShare;
        StringBuilder items = new StringBuilder();
        long total = 0;
        if (decline) {
            // One item above the limit: declined however much credit is left.
            long price = limitCents + 100 + random.nextLong(50_000);
            total = price;
            item(items, "BENCH-BIG", 1, price);
        } else {
            int lines = 1 + random.nextInt(3);
            for (int i = 0; i < lines; i++) {
                int quantity = 1 + random.nextInt(3);
                long price = 199 + random.nextLong(2_000);
                total += quantity * price;
                item(items, "BENCH-" + (1 + random.nextInt(50)), quantity, price);
            }
            if (spentCents[customer] + total > limitCents) {
                currencyOf[customer]++;
                spentCents[customer] = 0;
            }
            spentCents[customer] += total;
        }
        String customerId = customerId(runId, customer);
        String currency = currency(currencyOf[customer]);
        String json =
                "{\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency + "\",\"items\":[" + items + "]}";
        return new Order(customerId, currency, json, total, decline);
    }

    private static void item(StringBuilder items, String sku, int quantity, long priceCents) {
        if (!items.isEmpty()) {
            items.append(',');
        }
        items.append("{\"sku\":\"")
                .append(sku)
                .append("\",\"quantity\":")
                .append(quantity)
                .append(",\"unitPrice\":")
                .append(priceCents / 100)
                .append('.')
                .append(priceCents % 100 < 10 ? "0" : "")
                .append(priceCents % 100)
                .append('}');
    }
}

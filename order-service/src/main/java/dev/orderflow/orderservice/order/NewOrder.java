package dev.orderflow.orderservice.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A validated request for an order. */
public record NewOrder(String customerId, String currency, List<OrderItem> items) {

    /** Same for requests that mean the same order, whatever their JSON spelling (12.5 or 12.50). */
    String fingerprint() {
        StringBuilder canonical = new StringBuilder(customerId).append('\n').append(currency);
        for (OrderItem item : items) {
            canonical
                    .append('\n')
                    .append(item.sku())
                    .append('\t')
                    .append(item.quantity())
                    .append('\t')
                    .append(item.unitPrice().stripTrailingZeros().toPlainString());
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.orderflow.orderservice.order;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;

@Embeddable
public record OrderItem(
        @Column(name = "sku") String sku,
        @Column(name = "quantity") int quantity,
        @Column(name = "unit_price") BigDecimal unitPrice) {

    BigDecimal subtotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}

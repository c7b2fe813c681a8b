package dev.orderflow.paymentservice.payment.web;

import dev.orderflow.paymentservice.payment.PaymentProcessing;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/payments")
class PaymentController {

    private final PaymentProcessing payments;

    PaymentController(PaymentProcessing payments) {
        this.payments = payments;
    }

    /** The order's payment as a list: empty until the order has been decided. */
    @GetMapping
    List<PaymentView> ofOrder(@RequestParam UUID orderId) {
        return payments.ofOrder(orderId).stream().map(PaymentView::of).toList();
    }
}

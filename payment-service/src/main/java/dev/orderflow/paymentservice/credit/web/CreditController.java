package dev.orderflow.paymentservice.credit.web;

import dev.orderflow.paymentservice.credit.CreditAccounts;
import dev.orderflow.paymentservice.credit.CreditAccounts.Credit;
import dev.orderflow.platform.web.CustomerId;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CreditController {

    private final CreditAccounts credit;

    CreditController(CreditAccounts credit) {
        this.credit = credit;
    }

    @GetMapping("/api/customers/{customerId}/credit")
    Credit credit(
            @PathVariable @CustomerId String customerId,
            @RequestParam @Pattern(regexp = "[A-Z]{3}", message = "must be three upper-case letters") String currency) {
        return credit.of(customerId, currency);
    }
}

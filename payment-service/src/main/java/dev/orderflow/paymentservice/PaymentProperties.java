package dev.orderflow.paymentservice;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param defaultCreditLimit the credit every customer starts with, in each currency */
@ConfigurationProperties("payments")
public record PaymentProperties(@DefaultValue("1000.00") BigDecimal defaultCreditLimit) {}

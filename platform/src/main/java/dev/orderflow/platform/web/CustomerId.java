package dev.orderflow.platform.web;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A customer id as the contract spells it, wherever one arrives (body, path, query): 1-64 of
 * {@code A-Z a-z 0-9 . _ -}. {@code null} is valid; add {@code @NotNull} where one is required.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = CustomerId.PATTERN)
@ReportAsSingleViolation
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface CustomerId {

    String PATTERN = "[A-Za-z0-9._-]{1,64}";

    String message() default "must be 1-64 of A-Z a-z 0-9 . _ -";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

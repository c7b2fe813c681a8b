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
 * Free text without control characters (Unicode's {@code Cc}: NUL to 0x1F, DEL, 0x80 to 0x9F). PostgreSQL refuses a
 * NUL in any text it stores, and none of the others belongs in a SKU, a key or a reason; a string that carries one
 * is a {@code 400}, never a failed statement. {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = "[^\\p{Cc}]*")
@ReportAsSingleViolation
@Target({FIELD, PARAMETER, RECORD_COMPONENT, TYPE_USE})
@Retention(RUNTIME)
public @interface NoControlCharacters {

    String message() default "must not contain control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

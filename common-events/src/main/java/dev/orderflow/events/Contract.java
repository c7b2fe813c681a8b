package dev.orderflow.events;

import java.util.Collection;

/** Checks shared by the records' constructors: an event that breaks them can never be processed. */
final class Contract {

    private Contract() {}

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value instanceof Collection<?> c && c.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return value;
    }
}

package org.vlab.ipam.events;

import java.util.List;

/** Checks shared by the message records' constructors; messages name fields as the wire does. */
final class Require {

    private Require() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }

    static long generation(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("generation must not be negative; got " + value);
        }
        return value;
    }

    /** A duration in milliseconds, if present: finite and not negative (Jackson would write NaN as the string "NaN"). */
    static Double millis(Double value, String field) {
        if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(field + " must be a finite, non-negative number of milliseconds; got "
                    + value);
        }
        return value;
    }

    static <T> List<T> list(List<T> value, String field) {
        present(value, field);
        // contains(null) would throw on immutable lists, so look at each element
        for (T element : value) {
            if (element == null) {
                throw new IllegalArgumentException(field + " must not contain null");
            }
        }
        return List.copyOf(value);
    }

    static String text(String value, String field, int maxLength) {
        present(value, field);
        if (value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be 1-" + maxLength + " characters");
        }
        return value;
    }

    /** Why a mapping was removed, if said: a lower-case word such as {@code expired} (1-32 of a-z, '_', '-'). */
    static String reason(String value) {
        if (value != null && !value.matches("[a-z][a-z_-]{0,31}")) {
            throw new IllegalArgumentException("reason must be 1-32 lower-case letters, '_' or '-'; got " + value);
        }
        return value;
    }
}

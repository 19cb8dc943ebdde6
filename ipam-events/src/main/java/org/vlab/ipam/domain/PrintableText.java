package org.vlab.ipam.domain;

/** The rule api-v1 sets for free-text fields: 1-128 characters, no control characters. */
final class PrintableText {

    static final int MAX_LENGTH = 128;

    private PrintableText() {
    }

    static void check(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_LENGTH + " characters; got "
                    + value.codePointCount(0, value.length()));
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw new IllegalArgumentException(field + " must not hold control characters; got " + Quoted.of(value));
        }
    }
}

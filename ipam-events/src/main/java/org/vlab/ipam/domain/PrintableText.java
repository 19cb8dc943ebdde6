package org.vlab.ipam.domain;

/**
 * The rule api-v1 sets for free-text fields: 1-128 characters, no control characters; and no
 * lone surrogates or format characters (Unicode Cs, Cf), which render as nothing or break
 * UTF-8 (zero-width spaces, bidi overrides, a BOM), so one name could pose as another.
 */
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
        if (value.codePoints().anyMatch(PrintableText::invisible)) {
            throw new IllegalArgumentException(field
                    + " must not hold lone surrogates or format characters (Unicode Cs, Cf); got " + Quoted.of(value));
        }
    }

    /** A code point of category Cs (only a lone half of a pair comes out of codePoints()) or Cf. */
    static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.SURROGATE || type == Character.FORMAT;
    }
}

package org.vlab.ipam.api.events;

/**
 * The one way text that came from the broker (reasons, requesters, user ids, routing keys,
 * message ids) reaches a log line: control characters (CR, LF, ESC, C1 ...), Unicode format
 * characters (bidirectional overrides, zero-width marks), line and paragraph separators and
 * unpaired surrogates become {@code \\uXXXX} escapes, a backslash becomes two, and text longer
 * than {@value #MAX_LENGTH} code points is cut, saying how much was left out. So a publisher can
 * neither forge a log line, nor recolour or reorder a terminal, nor flood one line.
 */
final class LogText {

    static final int MAX_LENGTH = 512;

    private LogText() {
    }

    /** The escaped text; {@code "(none)"} for null. */
    static String escape(Object value) {
        if (value == null) {
            return "(none)";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
        int shown = 0;
        int index = 0;
        while (index < text.length() && shown < MAX_LENGTH) {
            int codePoint = text.codePointAt(index);
            index += Character.charCount(codePoint);
            shown++;
            appendEscaped(out, codePoint);
        }
        if (index < text.length()) {
            out.append("...(").append(text.codePointCount(index, text.length())).append(" more)");
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int codePoint) {
        if (codePoint == '\\') {
            out.append("\\\\");
        } else if (isUnsafe(codePoint)) {
            out.append(String.format("\\u%04x", codePoint));
        } else {
            out.appendCodePoint(codePoint);
        }
    }

    private static boolean isUnsafe(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }
}

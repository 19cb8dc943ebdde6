package org.vlab.ipam.domain;

/** Renders a rejected input for an error message: quoted, shortened, control, surrogate and format characters escaped. */
final class Quoted {

    private static final int MAX = 80;

    private Quoted() {
    }

    static String of(Object value) {
        if (value == null) {
            return "nothing";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || PrintableText.invisible(c) ? String.format("\\u%04x", (int) c)
                    : String.valueOf(c));
        }
        if (text.length() > MAX) {
            out.append("...");
        }
        return out.append('\'').toString();
    }
}

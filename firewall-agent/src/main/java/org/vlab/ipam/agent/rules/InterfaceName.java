package org.vlab.ipam.agent.rules;

import java.util.regex.Pattern;

/** A network interface name as the kernel allows it (1-15 characters), safe to write into a rule unquoted. */
public record InterfaceName(String value) {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    public InterfaceName {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("not a network interface name (1-15 letters, digits, '_', '.' or '-'): "
                    + (value == null ? "nothing" : "'" + value.replaceAll("\\p{Cntrl}", "?") + "'"));
        }
    }

    public static InterfaceName of(String value) {
        return new InterfaceName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

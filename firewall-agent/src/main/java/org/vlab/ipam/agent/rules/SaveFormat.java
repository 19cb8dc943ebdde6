package org.vlab.ipam.agent.rules;

/**
 * How iptables-save writes the values the agent's rules hold, so that the rules the builder
 * renders read back from iptables-save character for character, and drift is a plain
 * comparison of lines.
 */
final class SaveFormat {

    /** xt_limit's unit: periods are counted in 1/10000 s. */
    private static final long LIMIT_SCALE = 10000;
    private static final String[] RATE_UNITS = {"day", "hour", "min", "sec"};
    private static final long[] RATE_MULTIPLIERS = {LIMIT_SCALE * 24 * 60 * 60, LIMIT_SCALE * 60 * 60, LIMIT_SCALE * 60,
            LIMIT_SCALE};

    private SaveFormat() {
    }

    /**
     * A string value as xtables_save_string writes it: bare when it holds only letters, digits,
     * '_' and '-', else in double quotes. The agent's values never hold quotes or backslashes,
     * which would need escaping; they are refused rather than escaped.
     */
    static String quoted(String value) {
        if (value.chars().anyMatch(c -> c == '"' || c == '\\' || c == '\'' || c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("refusing to write a rule value with quotes or control characters");
        }
        boolean bare = !value.isEmpty() && value.chars().allMatch(c -> c == '_' || c == '-'
                || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
        return bare ? value : "\"" + value + "\"";
    }

    /**
     * A rate of {@code perSecond} as libxt_limit prints it: the rate is stored as a period of
     * 1/10000 s, and printed in the largest unit that the period divides well (300/s reads back as 303/sec).
     */
    static String rate(int perSecond) {
        long period = LIMIT_SCALE / perSecond;
        int unit = 1;
        for (; unit < RATE_MULTIPLIERS.length; unit++) {
            long multiplier = RATE_MULTIPLIERS[unit];
            if (period > multiplier || multiplier / period < multiplier % period) {
                break;
            }
        }
        return RATE_MULTIPLIERS[unit - 1] / period + "/" + RATE_UNITS[unit - 1];
    }
}

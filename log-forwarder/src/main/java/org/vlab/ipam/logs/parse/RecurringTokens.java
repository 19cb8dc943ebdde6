package org.vlab.ipam.logs.parse;

/**
 * The strings of the short tokens that recur from line to line (interface names, log
 * prefixes): each is made once and handed out again while it keeps recurring. A profile of
 * the parser put a third of its time in making a new string of each for every line.
 * <p>
 * The slots are direct-mapped, so memory stays bounded whatever a log holds: a token that
 * meets another in its slot, or is longer than {@value #MAX_LENGTH} characters, simply gets a
 * new string. Safe to share between threads without locks: a slot holds null or an immutable
 * string, and every hit is checked character by character, so a racing write can cost a
 * miss, never a wrong token.
 */
final class RecurringTokens {

    /** The longest prefix the parser accepts; interface names are shorter still. */
    static final int MAX_LENGTH = 64;

    private final String[] slots;
    private final int mask;

    /** @param slots a power of two */
    RecurringTokens(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two; got " + slots);
        }
        this.slots = new String[slots];
        this.mask = slots - 1;
    }

    /** A string equal to {@code line.substring(from, to)}, the same instance as before when the token recurs. */
    String of(String line, int from, int to) {
        int length = to - from;
        if (length > MAX_LENGTH || length <= 0) {
            return line.substring(from, to);
        }
        int hash = length;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + line.charAt(i);
        }
        int slot = (hash ^ (hash >>> 16)) & mask;
        String seen = slots[slot];
        if (seen != null && seen.length() == length && line.regionMatches(from, seen, 0, length)) {
            return seen;
        }
        String made = line.substring(from, to);
        slots[slot] = made;
        return made;
    }
}

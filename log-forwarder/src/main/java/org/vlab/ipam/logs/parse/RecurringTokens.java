package org.vlab.ipam.logs.parse;

/**
 * The strings of the short tokens that recur from line to line (interface names, log
 * prefixes): each is made once and handed out again while it keeps recurring. A profile of
 * the parser put a third of its time in making a new string of each for every line.
 * <p>
 * The slots are direct-mapped, so memory stays bounded whatever a log holds: a token that
 * meets another in its slot, or is longer than the longest kept, simply gets a new string.
 * Safe to share between threads without locks: a slot holds null or an immutable string, and
 * every hit is checked character by character, so a racing write can cost a miss, never a
 * wrong token.
 */
final class RecurringTokens {

    private final String[] slots;
    private final int mask;
    private final int maxLength;

    /**
     * @param slots a power of two
     * @param maxLength the longest token kept; longer ones get a new string each time
     */
    RecurringTokens(int slots, int maxLength) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two; got " + slots);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("the longest token kept must be at least 1 character; got " + maxLength);
        }
        this.slots = new String[slots];
        this.mask = slots - 1;
        this.maxLength = maxLength;
    }

    /** A string equal to {@code line.substring(from, to)}, the same instance as before when the token recurs. */
    String of(String line, int from, int to) {
        int length = to - from;
        if (length > maxLength || length <= 0) {
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

package dev.kv.internal;

import dev.kv.KeyOrder;

/** Key ranges in {@link KeyOrder}, for the stores that serve a prefix from an ordered index. */
public final class KeyRanges {

    private KeyRanges() {}

    /**
     * The smallest string greater than every string that starts with {@code prefix}, or {@code null}
     * if there is none (an empty prefix, or one of only U+10FFFF): the prefix with its last code
     * point below U+10FFFF raised by one, skipping the surrogate block. Keys starting with
     * {@code prefix} are exactly those in {@code [prefix, prefixEnd(prefix))} — a range an index
     * serves, unlike {@code LIKE 'prefix%'} with a parameter.
     */
    public static String prefixEnd(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int last = prefix.codePointBefore(end);
            int start = end - Character.charCount(last);
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return new StringBuilder(prefix.substring(0, start))
                        .appendCodePoint(next)
                        .toString();
            }
            end = start;
        }
        return null;
    }
}

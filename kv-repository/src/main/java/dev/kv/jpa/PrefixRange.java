package dev.kv.jpa;

/**
 * Turns a prefix into the half-open range of keys that start with it, under the "C" collation of
 * the key column (byte order of UTF-8, which is code point order). A range, unlike {@code LIKE},
 * needs no escaping and is served by the key index even in a generic prepared plan.
 */
final class PrefixRange {

    private PrefixRange() {}

    /**
     * The smallest string greater than every string that starts with {@code prefix}, or {@code null}
     * if there is none (an empty prefix, or one of only U+10FFFF).
     */
    static String upperBound(String prefix) {
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

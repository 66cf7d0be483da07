package dev.kv;

import java.util.Comparator;

/**
 * The order of keys in every store: by code point, which is the order of their UTF-8 bytes and of
 * PostgreSQL's "C" collation. {@link String#compareTo} compares UTF-16 units instead, and so puts
 * supplementary characters (surrogate pairs) before U+E000..U+FFFF.
 */
public final class KeyOrder {

    /** Compares keys by code point. */
    public static final Comparator<String> CODE_POINTS = KeyOrder::compare;

    private KeyOrder() {}

    public static int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (ca >= Character.MIN_SURROGATE && cb >= Character.MIN_SURROGATE) {
                    return shiftSurrogates(ca) - shiftSurrogates(cb);
                }
                return ca - cb;
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF, keeping the order within each group. */
    private static int shiftSurrogates(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

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

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
}

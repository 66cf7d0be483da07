package dev.kv.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values the contract writes: JSON strings, valid in every format and unchanged by JSONB
 * normalisation, so every case runs on BYTEA and JSONB stores alike.
 */
public final class ContractValues {

    /** Where every contract clock starts. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** Order of keys in the store: their UTF-8 bytes, i.e. code points (String.compareTo is UTF-16 order). */
    public static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private ContractValues() {}

    /** {@code text} as a JSON string. */
    public static byte[] v(String text) {
        return ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** The text of a JSON string written by {@link #v}. */
    public static String text(byte[] value) {
        String json = new String(value, StandardCharsets.UTF_8);
        return json.substring(1, json.length() - 1);
    }

    /** The text of a JSON string written by {@link #v}, or null when absent. */
    public static String text(Optional<byte[]> value) {
        return value.map(ContractValues::text).orElse(null);
    }

    /** Keys and texts, alternating, as keys and {@link #v} values in that order. */
    public static Map<String, byte[]> values(String... keysAndTexts) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndTexts.length; i += 2) {
            values.put(keysAndTexts[i], v(keysAndTexts[i + 1]));
        }
        return values;
    }

    /** The texts of {@link #v} values, by key. */
    public static Map<String, String> texts(Map<String, byte[]> values) {
        Map<String, String> texts = new LinkedHashMap<>();
        values.forEach((key, value) -> texts.put(key, text(value)));
        return texts;
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The keys {@code prefix0} to {@code prefix(count - 1)} in order and in reverse: the orders in
     * which two writers touch the same keys, to prove that batches lock rows in one order whatever
     * order they are given in.
     */
    public static List<List<String>> oppositeOrders(String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i);
        }
        List<String> reversed = new ArrayList<>(keys);
        Collections.reverse(reversed);
        return List.of(List.copyOf(keys), List.copyOf(reversed));
    }
}

package dev.kv.bench;

/**
 * The key names of pre-filled tables: {@code key:0000000} upwards, and counters {@code
 * ctr:0000000} upwards. Seven digits keep them in numeric order, so a prefix of five digits
 * ({@code key:00012}) selects exactly 100 keys.
 */
final class BenchKeys {

    /** The prefix of the prefix scan; it names keys 1200 to 1299. */
    static final String SCAN_PREFIX = "key:00012";

    /** Keys the prefix scan returns on a table of at least 1300 keys. */
    static final int SCAN_SIZE = 100;

    /** The prefix the paged scan walks: keys 0 to 9999, in pages of {@link #PAGE_SIZE}. */
    static final String PAGE_PREFIX = "key:000";

    static final int PAGE_SIZE = 100;

    /** Counters pre-filled at 0 ({@link #counterKey}) for the increment benchmark. */
    static final int COUNTERS = 10_000;

    private BenchKeys() {}

    static String counterKey(int i) {
        return "ctr:" + zeroPadded(i);
    }

    static String key(int i) {
        return "key:" + zeroPadded(i);
    }

    /** A key never written: the same shape as a pre-filled one, so it hashes and compares alike. */
    static String missingKey(int i) {
        return "nokey:" + zeroPadded(i);
    }

    private static String zeroPadded(int i) {
        String digits = Integer.toString(i);
        return "0000000".substring(Math.min(7, digits.length())) + digits;
    }
}

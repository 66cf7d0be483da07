package dev.kv.memory;

/** An entry in the index of expiring entries, ordered by expiry and then key. */
record ExpiryKey(long expiresMicros, String key) implements Comparable<ExpiryKey> {

    static ExpiryKey of(Node node) {
        return new ExpiryKey(node.expiresMicros, node.key);
    }

    @Override
    public int compareTo(ExpiryKey other) {
        int byTime = Long.compare(expiresMicros, other.expiresMicros);
        return byTime != 0 ? byTime : key.compareTo(other.key);
    }
}

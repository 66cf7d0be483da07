package dev.kv;

/**
 * A bounded store without eviction is full: the write would take it past its maximum number of
 * entries or bytes. Nothing was changed; deleting entries, or letting them expire, makes room.
 */
public class CapacityExceededException extends KvException {

    private static final long serialVersionUID = 1L;

    private final String bound;
    private final long limit;

    /**
     * @param bound the setting that would be exceeded, e.g. {@code maxEntries}
     * @param limit its value
     */
    public CapacityExceededException(String key, String bound, long limit) {
        super("writing \"" + key + "\" would exceed " + bound + " (" + limit + ")");
        this.bound = bound;
        this.limit = limit;
    }

    /** The setting that would be exceeded: {@code maxEntries} or {@code maxBytes}. */
    public String bound() {
        return bound;
    }

    /** The value of that setting. */
    public long limit() {
        return limit;
    }
}

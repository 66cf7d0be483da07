package dev.kv.memory;

import java.util.function.BiFunction;

/**
 * One write to {@link EntryTable}: what it makes of a key's current node, and afterwards what it
 * did. It is the table's {@code compute} function too, so that a write costs one object beside the
 * node it stores.
 */
abstract class Write implements BiFunction<String, Node, Node> {

    /** For {@link EntryTable#mutate}: judge liveness by the clock when the key is locked. */
    static final long WHEN_COMPUTED = Long.MIN_VALUE;

    private EntryTable table;
    private long expiryNow;

    /** The node before the write; filled in under the key's lock. */
    Node before;
    /** The node after the write: {@link #before} itself for no change, null if removed. */
    Node after;
    /** Whether {@link #before} was live when the write judged it. */
    boolean beforeWasLive;
    /** Where the write's log record ends, to sync to; -1 for none. */
    long logPosition = -1;

    /**
     * What the write makes of the current node: itself for no change, null to remove it.
     *
     * @param current the node, live or expired, or null
     * @param live whether {@code current} is live
     */
    abstract Node rewrite(Node current, boolean live);

    boolean changed() {
        return before != after;
    }

    /** Whether the change reaches the change stream; a read's refresh of an idle entry does not. */
    boolean streamed() {
        return true;
    }

    /** Prepares the write to run on {@code table}, judging liveness at {@code expiryNow} ({@link #WHEN_COMPUTED}: when the key is locked). */
    final void start(EntryTable table, long expiryNow) {
        this.table = table;
        this.expiryNow = expiryNow;
        before = null;
        after = null;
        beforeWasLive = false;
        logPosition = -1;
    }

    @Override
    public final Node apply(String key, Node current) {
        long now = expiryNow != WHEN_COMPUTED ? expiryNow : table.expiryNow();
        boolean live = current != null && current.liveAt(now);
        Node next = rewrite(current, live);
        before = current;
        beforeWasLive = live;
        if (next != current) {
            logPosition = table.record(key, current, next, true);
            if (streamed()) {
                table.streamed(key, current, next, live, true);
            }
        }
        after = next;
        return next;
    }
}

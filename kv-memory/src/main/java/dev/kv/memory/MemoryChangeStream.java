package dev.kv.memory;

import dev.kv.Change;
import dev.kv.ChangeStream;
import dev.kv.ConsumerStatus;
import dev.kv.internal.OperationFront;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The change stream of an in-memory store, and its consumers: held in memory only, neither logged
 * nor saved in snapshots, so both start empty (at seq 0) with every store instance.
 *
 * <p>A change is appended under the key's lock, inside the write, so the changes of one key are in
 * the order of its writes; seqs are taken and appended under this stream's lock, so a reader that
 * sees seq n has every smaller one before it. The changes of a transaction are held back until it
 * ends, then appended together, or dropped if it rolls back.
 */
final class MemoryChangeStream extends ChangeStream {

    private final ConcurrentSkipListMap<Long, Change> changes = new ConcurrentSkipListMap<>();
    private final Map<String, Long> consumers = new ConcurrentHashMap<>();
    private final List<Change> heldBack = new ArrayList<>();
    private volatile long lastSeq;

    /** Records the change of {@code key} from {@code before} to {@code after} (null: none) at {@code nowMicros}. */
    void record(String key, Node before, Node after, long nowMicros, boolean beforeWasLive, boolean inTransaction) {
        Change change = after != null
                ? new Change(
                        0,
                        key,
                        Change.Type.SET,
                        after.version,
                        Optional.of(after.value),
                        after.expires() ? Optional.of(OperationFront.instant(after.expiresMicros)) : Optional.empty(),
                        OperationFront.instant(after.updatedMicros))
                : new Change(
                        0,
                        key,
                        beforeWasLive ? Change.Type.DELETE : Change.Type.EXPIRED,
                        before.version,
                        Optional.empty(),
                        Optional.empty(),
                        OperationFront.instant(nowMicros));
        if (inTransaction) {
            heldBack.add(change);
        } else {
            append(List.of(change));
        }
    }

    /** Appends what the transaction that ends now held back; called by its thread. */
    void endTransaction(boolean committed) {
        if (committed) {
            append(heldBack);
        }
        heldBack.clear();
    }

    private synchronized void append(List<Change> appended) {
        long seq = lastSeq;
        for (Change change : appended) {
            seq++;
            changes.put(
                    seq,
                    new Change(
                            seq,
                            change.key(),
                            change.type(),
                            change.version(),
                            change.value(),
                            change.expiresAt(),
                            change.at()));
        }
        lastSeq = seq;
    }

    @Override
    protected List<Change> changesAfter(long afterSeq, int limit, String keyPrefix) {
        List<Change> page = new ArrayList<>();
        for (Change change : changes.tailMap(afterSeq, false).values()) {
            if (page.size() == limit) {
                break;
            }
            if (change.key().startsWith(keyPrefix)) {
                page.add(change);
            }
        }
        return page;
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    protected long deleteUpTo(long uptoSeq, String keyPrefix) {
        long deleted = 0;
        for (Change change : changes.headMap(uptoSeq, true).values()) {
            if (change.key().startsWith(keyPrefix) && changes.remove(change.seq(), change)) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    protected long position(String name) {
        return consumers.getOrDefault(name, 0L);
    }

    @Override
    protected long commitPosition(String name, long seq) {
        long last = lastSeq;
        if (seq <= last) {
            consumers.put(name, seq);
        }
        return last;
    }

    @Override
    protected ConsumerStatus status(String name) {
        return new ConsumerStatus(name, position(name), lastSeq);
    }

    @Override
    protected boolean deleteConsumer(String name) {
        return consumers.remove(name) != null;
    }

    @Override
    public String toString() {
        return "MemoryChangeStream[lastSeq=" + lastSeq + ", held=" + changes.size() + "]";
    }
}

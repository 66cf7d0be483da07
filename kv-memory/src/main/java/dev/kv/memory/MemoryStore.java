package dev.kv.memory;

import dev.kv.ChangeStream;
import dev.kv.CleanupStrategy;
import dev.kv.Entry;
import dev.kv.Expiry;
import dev.kv.KvConfig;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import dev.kv.VersionConflictException;
import dev.kv.internal.BackendKvStore;
import dev.kv.internal.OperationCounters;
import dev.kv.internal.OperationFront;
import dev.kv.internal.WrittenExpiry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The in-memory store: each operation runs the {@link OperationFront} (argument checks, clock,
 * expiry) and then one {@link Write} on the {@link EntryTable}, which keeps the entries with their
 * indexes, bounds, log and change stream.
 */
final class MemoryStore extends BackendKvStore implements MemoryKvStore {

    private final KvConfig config;
    private final MemoryOptions options;
    private final OperationCounters counters = new OperationCounters();
    private final EntryTable table;
    private final KeyScan scan;
    private final boolean readsRemoveExpired;

    private Runnable onClose = () -> {};

    MemoryStore(KvConfig config, MemoryOptions options) {
        super(new OperationFront(config));
        this.config = config;
        this.options = options;
        this.table = new EntryTable(config, front, options, counters);
        this.scan = new KeyScan(table.keys(), table::peek);
        this.readsRemoveExpired = config.cleanupStrategy() == CleanupStrategy.ON_READ;
    }

    EntryTable table() {
        return table;
    }

    // ---------------------------------------------------------------------------------- reads

    /** The live node of a key, counted as an access. */
    private Node live(String key) {
        Node node = met(key, find(key));
        if (node != null) {
            table.accessed(node);
        }
        return node;
    }

    /** {@link #live}, an idle entry's expiry moved on if less than half its idle period is left. */
    private Node read(String key) {
        Node node = live(key);
        if (node == null || node.idleMicros == 0) {
            return node;
        }
        long nowMicros = front.nowMicros();
        long refreshed = front.refreshedExpiry(node.expiresMicros, node.idleMicros, nowMicros);
        if (refreshed < 0) {
            return node;
        }
        Refresh refresh = table.mutate(key, front.expiryNowMicros(nowMicros), new Refresh(node, refreshed));
        return refresh.after != null ? refresh.after : node;
    }

    /** Moves the expiry of the node a read met, unless another write replaced it meanwhile. */
    private static final class Refresh extends Write {
        private final Node seen;
        private final long newExpiresMicros;

        Refresh(Node seen, long newExpiresMicros) {
            this.seen = seen;
            this.newExpiresMicros = newExpiresMicros;
        }

        @Override
        Node rewrite(Node current, boolean live) {
            return current == seen && live ? current.refreshed(newExpiresMicros) : current;
        }

        @Override
        boolean streamed() {
            return false;
        }
    }

    /**
     * The node of {@code key}, live or expired. The key is checked only when nothing is stored under
     * it: a stored key was checked when written, and sparing a hit the check spares it a pass over
     * the key's characters.
     */
    private Node find(String key) {
        Node node = key == null ? null : table.get(key);
        if (node == null) {
            front.key(key);
        }
        return node;
    }

    /**
     * The node a point read met if it is live; under {@link CleanupStrategy#ON_READ} an expired one is
     * removed, unless written again meanwhile, as the cleaner would.
     */
    private Node met(String key, Node node) {
        if (node == null || !node.expires()) {
            return node;
        }
        long now = table.expiryNow();
        if (node.liveAt(now)) {
            return node;
        }
        if (readsRemoveExpired) {
            table.removeExpired(key, now);
        }
        return null;
    }

    private Node counted(Node node) {
        counters.read(node != null);
        return node;
    }

    @Override
    public Optional<byte[]> get(String key) {
        Node node = counted(read(key));
        return node == null ? Optional.empty() : Optional.of(node.value.clone());
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        Node node = counted(read(key));
        return node == null ? Optional.empty() : Optional.of(node.toEntry());
    }

    @Override
    public boolean exists(String key) {
        return live(key) != null;
    }

    @Override
    public Ttl ttl(String key) {
        Node node = met(key, find(key));
        if (node == null) {
            return Ttl.absent();
        }
        return node.expires() ? Ttl.between(front.now(), OperationFront.instant(node.expiresMicros)) : Ttl.persistent();
    }

    @Override
    public List<String> keys(String prefix) {
        return keys(front.prefixScan(prefix));
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return scan.select(front.scan(options, true), table.expiryNow(), true).stream()
                .map(node -> node.key)
                .toList();
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return scan.select(front.scan(options, true), table.expiryNow(), true).stream()
                .map(Node::toEntry)
                .toList();
    }

    @Override
    public long count(ScanOptions options) {
        return scan.select(front.scan(options, false), table.expiryNow(), false).size();
    }

    @Override
    public long delete(ScanOptions options) {
        long now = table.expiryNow();
        long deleted = 0;
        for (Node node : scan.select(front.scan(options, true), now, true)) {
            deleted += deleteLive(node.key, now) ? 1 : 0;
        }
        return deleted;
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        front.keys(keys);
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (String key : keys) {
            if (!values.containsKey(key)) {
                Node node = counted(live(key));
                if (node != null) {
                    values.put(key, node.value.clone());
                }
            }
        }
        return values;
    }

    // --------------------------------------------------------------------------------- writes

    /**
     * Stores {@code value} in a new entry or over the live one, with expiry {@code expires}. The key
     * is checked when nothing is stored under it, inside the write: a stored key was checked when
     * written, and sparing an overwrite the check spares it a pass over the key's characters.
     */
    private static final class Overwrite extends Write {
        private final OperationFront front;
        private final String key;
        private final byte[] value;
        private final WrittenExpiry expires;
        private final long nowMicros;

        Overwrite(OperationFront front, String key, byte[] value, WrittenExpiry expires, long nowMicros) {
            this.front = front;
            this.key = key;
            this.value = value;
            this.expires = expires;
            this.nowMicros = nowMicros;
        }

        @Override
        Node rewrite(Node current, boolean live) {
            if (current == null) {
                front.key(key);
            }
            return live ? current.rewritten(value, expires, nowMicros) : Node.created(key, value, nowMicros, expires);
        }
    }

    /** Removes the entry, live or expired. */
    private static final class Removal extends Write {
        @Override
        Node rewrite(Node current, boolean live) {
            return null;
        }
    }

    @Override
    protected void write(String key, byte[] value, Expiry expiry) {
        if (key == null) {
            front.key(key);
        }
        byte[] copy = front.copyOfValue(value);
        long now = front.nowMicros();
        WrittenExpiry expires = front.written(now, expiry);
        table.mutate(key, front.expiryNowMicros(now), new Overwrite(front, key, copy, expires, now));
        counters.set();
    }

    /** When an entry written at {@code nowMicros} with {@code ttl} expires, in microseconds. */
    private long expiry(long nowMicros, Duration ttl) {
        return OperationFront.micros(front.expiresAt(OperationFront.instant(nowMicros), ttl));
    }

    @Override
    protected boolean insertIfAbsent(String key, byte[] value, Expiry expiry) {
        front.key(key);
        byte[] copy = front.copyOfValue(value);
        long nowMicros = front.nowMicros();
        WrittenExpiry expires = front.written(nowMicros, expiry);
        boolean written = table.mutate(key, front.expiryNowMicros(nowMicros), new Write() {
                    @Override
                    Node rewrite(Node current, boolean live) {
                        return live ? current : Node.created(key, copy, nowMicros, expires);
                    }
                })
                .changed();
        if (written) {
            counters.set();
        }
        return written;
    }

    @Override
    public boolean delete(String key) {
        front.key(key);
        return deleteLive(key, table.expiryNow());
    }

    /** Removes {@code key}, live or expired; returns whether it was live. */
    private boolean deleteLive(String key, long expiryNow) {
        boolean deleted = table.mutate(key, expiryNow, new Removal()).beforeWasLive;
        if (deleted) {
            counters.deleted();
        }
        return deleted;
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        front.key(key);
        byte[] copy = front.copyOfValue(value);
        OperationFront.writeVersion(expectedVersion);
        long nowMicros = front.nowMicros();
        WrittenExpiry created = front.written(nowMicros, (Expiry) null);
        Write written = table.mutate(key, front.expiryNowMicros(nowMicros), new Write() {
            @Override
            Node rewrite(Node current, boolean live) {
                requireVersion(key, live ? current.version : ABSENT, expectedVersion);
                return live
                        ? current.rewritten(copy, current.expiry(), nowMicros)
                        : Node.created(key, copy, nowMicros, created);
            }
        });
        counters.set();
        return written.after.version;
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        front.key(key);
        OperationFront.deleteVersion(expectedVersion);
        table.mutate(key, table.expiryNow(), new Write() {
            @Override
            Node rewrite(Node current, boolean live) {
                requireVersion(key, live ? current.version : ABSENT, expectedVersion);
                return null;
            }
        });
        counters.deleted();
    }

    private static void requireVersion(String key, long actual, long expected) {
        if (actual != expected) {
            throw new VersionConflictException(key, expected, actual);
        }
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        front.keys(keys);
        long now = table.expiryNow();
        long deleted = 0;
        for (String key : new LinkedHashSet<>(keys)) {
            deleted += deleteLive(key, now) ? 1 : 0;
        }
        return deleted;
    }

    /**
     * Checks every entry, then writes them one by one; if a write fails (a bound under policy NONE,
     * the log), the entries already written get back what they held. Readers may see part of a batch
     * while it is written.
     */
    @Override
    protected void writeMany(Map<String, byte[]> entries, Duration ttl) {
        OperationFront.notNull(entries, "entries");
        Map<String, byte[]> copies = new LinkedHashMap<>();
        entries.forEach((key, value) -> copies.put(front.key(key), front.copyOfValue(value)));
        long nowMicros = front.nowMicros();
        WrittenExpiry expires = front.written(nowMicros, ttl);
        long expiryNow = front.expiryNowMicros(nowMicros);
        List<Write> written = new ArrayList<>();
        try {
            copies.forEach((key, copy) ->
                    written.add(table.mutate(key, expiryNow, new Overwrite(front, key, copy, expires, nowMicros))));
        } catch (RuntimeException e) {
            for (int i = written.size() - 1; i >= 0; i--) {
                Write write = written.get(i);
                try {
                    table.putBack(write.after.key, write.after, write.beforeWasLive ? write.before : null);
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        }
        counters.sets(written.size());
    }

    /**
     * Undoes a write of a batch or transaction: {@code previous} (null: none; an expired node counts
     * as none) replaces {@code written} if the key still holds that.
     */
    void putBack(String key, Node written, Node previous) {
        table.putBack(key, written, previous);
    }

    /**
     * Runs {@code work} on a view that remembers what each write replaced, one transaction at a
     * time; if {@code work} throws, the writes are undone. Operations outside transactions neither
     * wait for one nor are kept from seeing its writes before it ends.
     */
    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        OperationFront.notNull(work, "work");
        table.requireOpen();
        table.transactionLock.lock();
        try {
            MemoryTransaction transaction = new MemoryTransaction(this);
            boolean committed = false;
            try {
                T result = work.apply(transaction);
                committed = true;
                return result;
            } catch (RuntimeException | Error e) {
                try {
                    transaction.rollBack();
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                if (table.changes() != null) {
                    table.changes().endTransaction(committed);
                }
            }
        } finally {
            table.transactionLock.unlock();
        }
    }

    /**
     * One {@link #inTransaction transaction}: memory transactions run one at a time under one lock, and
     * every other write holds one key at a time, so batches cannot deadlock.
     */
    @Override
    public List<Long> apply(List<Mutation> mutations) {
        checkMutations(mutations);
        return inTransaction(transaction -> applyChecked(transaction, mutations));
    }

    /** Checks every mutation before any is applied. */
    void checkMutations(List<Mutation> mutations) {
        front.mutations(mutations, front.now());
    }

    /** Applies checked mutations, in order, each as its single-key twin on {@code transaction}. */
    static List<Long> applyChecked(KvStore transaction, List<Mutation> mutations) {
        List<Long> results = new ArrayList<>();
        for (Mutation mutation : mutations) {
            results.add(applyOne(transaction, mutation));
        }
        return List.copyOf(results);
    }

    private static long applyOne(KvStore transaction, Mutation m) {
        String key = m.key();
        OptionalLong version = m.expectedVersion();
        switch (m.kind()) {
            case PUT -> {
                byte[] value = m.value().orElseThrow();
                if (version.isPresent()) {
                    transaction.setIfVersion(key, value, version.getAsLong());
                } else if (m.ttl().isPresent()) {
                    transaction.set(key, value, m.ttl().get());
                } else {
                    transaction.set(key, value);
                }
                return 1;
            }
            case PATCH -> {
                byte[] patch = m.value().orElseThrow();
                if (version.isPresent()) {
                    transaction.patch(key, patch, version.getAsLong());
                } else {
                    transaction.patch(key, patch);
                }
                return 1;
            }
            case DELETE -> {
                if (version.isPresent()) {
                    transaction.deleteIfVersion(key, version.getAsLong());
                    return 1;
                }
                return transaction.delete(key) ? 1 : 0;
            }
            default -> {
                return transaction.delete(m.selection().orElseThrow());
            }
        }
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        front.key(key);
        long nowMicros = front.nowMicros();
        WrittenExpiry expires = front.written(nowMicros, Expiry.after(front.ttl(ttl)));
        return expireAs(key, nowMicros, expires);
    }

    @Override
    public boolean expire(String key, Expiry expiry) {
        front.key(key);
        long nowMicros = front.nowMicros();
        return expireAs(key, nowMicros, front.written(nowMicros, OperationFront.expiry(expiry)));
    }

    private boolean expireAs(String key, long nowMicros, WrittenExpiry expires) {
        return table.mutate(key, front.expiryNowMicros(nowMicros), new Write() {
                    @Override
                    Node rewrite(Node current, boolean live) {
                        return live ? current.rewritten(current.value, expires, nowMicros) : current;
                    }
                })
                .changed();
    }

    @Override
    public boolean persist(String key) {
        front.key(key);
        long nowMicros = front.nowMicros();
        return table.mutate(key, front.expiryNowMicros(nowMicros), new Write() {
                    @Override
                    Node rewrite(Node current, boolean live) {
                        return live && current.expires()
                                ? current.rewritten(current.value, WrittenExpiry.NEVER, nowMicros)
                                : current;
                    }
                })
                .changed();
    }

    @Override
    protected Optional<byte[]> readModifyWrite(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        front.key(key);
        if (ttl != null) {
            expiry(front.nowMicros(), ttl);
        }
        OperationFront.notNull(fn, "fn");
        Write change = table.mutate(key, Write.WHEN_COMPUTED, new Write() {
            @Override
            Node rewrite(Node current, boolean live) {
                long nowMicros = front.nowMicros();
                byte[] next = fn.apply(live ? current.value.clone() : null);
                if (next == null) {
                    return null;
                }
                byte[] copy = front.copyOfValue(next);
                WrittenExpiry expires = ttl != null
                        ? front.written(nowMicros, ttl)
                        : live ? current.expiry() : front.written(nowMicros, (Expiry) null);
                return live ? current.rewritten(copy, expires, nowMicros) : Node.created(key, copy, nowMicros, expires);
            }
        });
        if (change.after == null) {
            if (change.beforeWasLive) {
                counters.deleted();
            }
            return Optional.empty();
        }
        counters.set();
        return Optional.of(change.after.value.clone());
    }

    // ---------------------------------------------------------------------------------- the rest

    @Override
    public long cleanupExpired() {
        table.requireOpen();
        return table.cleanupExpired();
    }

    Node peek(String key) {
        return table.peek(key);
    }

    @Override
    public SnapshotInfo snapshot(Path file) {
        return Snapshots.write(table, file, front.now());
    }

    @Override
    public void restore(Path file) {
        table.requireOpen();
        Snapshots.restore(table, file, config.limits(), options);
    }

    /** The counters, and the live entries and value bytes. */
    @Override
    public KvStats stats() {
        table.requireOpen();
        long[] live = table.liveCounts();
        return counters.stats(live[0], live[1]);
    }

    @Override
    public ChangeStream changes() {
        table.requireOpen();
        return table.changes() != null ? table.changes() : MemoryKvStore.super.changes();
    }

    @Override
    public KvConfig config() {
        return config;
    }

    @Override
    public MemoryOptions options() {
        return options;
    }

    void onClose(Runnable onClose) {
        this.onClose = onClose;
    }

    @Override
    public void close() {
        if (table.closed()) {
            return;
        }
        onClose.run();
        try {
            table.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the write-ahead log in " + options.directory(), e);
        }
    }

    @Override
    public String toString() {
        return "MemoryKvStore[" + options + ", limits=" + config.limits() + ", clock=" + config.clock() + "]";
    }
}

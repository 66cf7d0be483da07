package dev.kv.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kv.CapacityExceededException;
import dev.kv.KeyOrder;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.StoreClosedException;
import dev.kv.internal.OperationCounters;
import dev.kv.internal.OperationFront;
import java.io.IOException;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The engine of the in-memory store. Entries live in a concurrent hash map (Caffeine's, under the
 * default bounded policy); a skip list of the keys in code point order serves scans, and one of the
 * expiring entries in expiry order serves the cleaner and the TTL policy. Both indexes, the entry and
 * byte counts, the log and the change stream are kept inside the map's per-key {@code compute}, so
 * they change atomically with the entry. Liveness is judged at {@link #expiryNow()}, which the
 * cleanup strategy may set apart from the time written into entries.
 */
final class EntryTable {

    private static final System.Logger LOG = System.getLogger(EntryTable.class.getName());

    private final OperationFront front;
    private final MemoryOptions options;
    private final OperationCounters counters;
    private final ConcurrentMap<String, Node> map;
    /** Reads without counting as an access (for scans, the cleaner and the eviction sampler). */
    private final Function<String, Node> peek;
    /** The Caffeine cache under the default bounded policy; null under the others. */
    private final Cache<String, Node> boundedCache;

    private final ConcurrentSkipListSet<String> keyIndex = new ConcurrentSkipListSet<>(KeyOrder.CODE_POINTS);
    private final ConcurrentSkipListSet<ExpiryKey> expiryIndex = new ConcurrentSkipListSet<>();
    private final SampledEviction sampledEviction;
    private final boolean tracksAccess;
    private final boolean reserves;

    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    /** The log, once recovery is over; null without one. */
    private volatile WriteAheadLog log;
    /**
     * HYBRID only: writes hold it shared, a checkpoint alone while it starts a new log segment. The
     * other modes do without, sparing every write a compare-and-set on one shared word.
     */
    private final ReadWriteLock segmentGate;

    /** One transaction at a time: they never wait for each other's keys, so never deadlock. */
    final ReentrantLock transactionLock = new ReentrantLock();

    /** Null unless the configuration asks for a change stream. */
    private final MemoryChangeStream changes;

    private volatile boolean closed;

    EntryTable(KvConfig config, OperationFront front, MemoryOptions options, OperationCounters counters) {
        this.front = front;
        this.options = options;
        this.counters = counters;
        this.segmentGate = options.persistence() == Persistence.HYBRID ? new ReentrantReadWriteLock() : null;
        this.changes = config.changeStream() ? new MemoryChangeStream() : null;
        EvictionPolicy policy = options.evictionPolicy();
        if (options.bounded() && policy == EvictionPolicy.WINDOW_TINY_LFU) {
            Cache<String, Node> cache = windowTinyLfu(options);
            this.boundedCache = cache;
            this.map = cache.asMap();
            this.peek = key -> cache.policy().getIfPresentQuietly(key);
        } else {
            this.boundedCache = null;
            this.map = new ConcurrentHashMap<>();
            this.peek = map::get;
        }
        boolean sampling =
                options.bounded() && policy != EvictionPolicy.WINDOW_TINY_LFU && policy != EvictionPolicy.NONE;
        this.sampledEviction = sampling ? new SampledEviction(this, policy) : null;
        this.tracksAccess = sampling
                && (policy == EvictionPolicy.LRU || policy == EvictionPolicy.LFU || policy == EvictionPolicy.TTL);
        this.reserves = policy == EvictionPolicy.NONE;
    }

    /**
     * Caffeine bounds either a count or a weight, not both: with both bounds, every entry weighs at
     * least maxBytes / maxEntries (rounded up), so a total weight within maxBytes keeps both.
     * Caffeine's maintenance runs on its default executor, off the caller's thread; a write that
     * takes the store over a bound evicts at once on the writer's thread ({@link #afterCommit}).
     */
    private Cache<String, Node> windowTinyLfu(MemoryOptions options) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder();
        com.github.benmanes.caffeine.cache.RemovalListener<String, Node> evicted = (key, node, cause) -> {
            if (cause.wasEvicted() && key != null && node != null) {
                evictedByCaffeine(key, node);
            }
        };
        if (options.maxBytes() == MemoryOptions.UNBOUNDED) {
            return builder.maximumSize(options.maxEntries())
                    .evictionListener(evicted)
                    .build();
        }
        long floor = options.maxEntries() == MemoryOptions.UNBOUNDED
                ? 0
                : (options.maxBytes() + options.maxEntries() - 1) / options.maxEntries();
        return builder.maximumWeight(options.maxBytes())
                .weigher((String key, Node node) ->
                        (int) Math.min(Integer.MAX_VALUE, Math.max(floor, node.value.length)))
                .evictionListener(evicted)
                .build();
    }

    // ---------------------------------------------------------------------------------- reads

    /** The instant, in microseconds, by which entries are live or expired (see {@link dev.kv.CleanupStrategy#expiryNow}). */
    long expiryNow() {
        requireOpen();
        return front.expiryNowMicros(front.nowMicros());
    }

    /** The node of {@code key}, live or expired. */
    Node get(String key) {
        requireOpen();
        return map.get(key);
    }

    /** Counts a read of {@code node} as an access, for the policies that evict by use. */
    void accessed(Node node) {
        if (tracksAccess) {
            node.touch();
        }
    }

    /** The node of {@code key}, live or expired, not counted as an access. */
    Node peek(String key) {
        return peek.apply(key);
    }

    /** The keys, in code point order. */
    NavigableSet<String> keys() {
        requireOpen();
        return keyIndex;
    }

    /** The nodes, for the eviction sampler; reading them does not count as an access. */
    Iterable<Node> nodes() {
        return map.values();
    }

    /** The live nodes, for a snapshot. */
    Iterable<Node> liveNodes() {
        long now = expiryNow();
        return () -> map.values().stream().filter(node -> node.liveAt(now)).iterator();
    }

    /** The expiring keys, soonest first, for the TTL policy. */
    Iterable<ExpiryKey> expiring() {
        return expiryIndex;
    }

    /** The expiring keys whose expiry is at or before {@code nowMicros}. */
    private Iterable<ExpiryKey> expiredAt(long nowMicros) {
        return expiryIndex.headSet(new ExpiryKey(nowMicros + 1, ""));
    }

    /** The live entries held and their value bytes: those held, less those expired and not yet removed. */
    long[] liveCounts() {
        long now = expiryNow();
        long expiredEntries = 0;
        long expiredBytes = 0;
        for (ExpiryKey expired : expiredAt(now)) {
            Node node = peek.apply(expired.key());
            if (node != null && node.expiresMicros == expired.expiresMicros()) {
                expiredEntries++;
                expiredBytes += node.value.length;
            }
        }
        return new long[] {Math.max(0, entries.get() - expiredEntries), Math.max(0, bytes.get() - expiredBytes)};
    }

    MemoryChangeStream changes() {
        return changes;
    }

    // --------------------------------------------------------------------------------- writes

    /**
     * Runs {@code write} on the node of {@code key}, atomically with the indexes, counters and log.
     * {@code expiryNow} is the time by which the current node is live or expired ({@link
     * Write#WHEN_COMPUTED}: when the key is locked). Returns {@code write}, which tells what it did.
     */
    <W extends Write> W mutate(String key, long expiryNow, W write) {
        try {
            commit(key, expiryNow, write);
        } catch (CapacityExceededException full) {
            // Expired entries count towards the bounds until removed; they must never block a write.
            if (cleanupExpired() == 0) {
                throw full;
            }
            commit(key, expiryNow, write);
        }
        afterCommit(write);
        return write;
    }

    private void commit(String key, long expiryNow, Write write) {
        requireOpen();
        write.start(this, expiryNow);
        enterGate();
        try {
            map.compute(key, write);
        } finally {
            leaveGate();
        }
    }

    /**
     * Undoes a write of a batch or transaction: {@code previous} (null: none; an expired node counts
     * as none) replaces {@code written} if the key still holds that.
     */
    void putBack(String key, Node written, Node previous) {
        Node restored = previous != null && previous.liveAt(expiryNow()) ? previous : null;
        long[] logPosition = {-1};
        enterGate();
        try {
            map.compute(key, (k, current) -> {
                if (current != written || current == restored) {
                    return current;
                }
                logPosition[0] = record(k, current, restored, false);
                streamed(k, current, restored, true);
                return restored;
            });
        } finally {
            leaveGate();
        }
        syncLog(logPosition[0]);
    }

    private void afterCommit(Write write) {
        if (write.changed() && write.before != null && !write.beforeWasLive) {
            counters.expired();
            notify(options.onExpiry(), write.before, RemovalCause.EXPIRED);
        }
        syncLog(write.logPosition);
        if (write.after != null) {
            evictWhileOverBounds(write.after);
        }
    }

    private void syncLog(long position) {
        WriteAheadLog wal = log;
        if (position >= 0 && wal != null && options.syncPolicy() == SyncPolicy.EVERY_WRITE) {
            try {
                wal.syncTo(position);
            } catch (IOException e) {
                throw new KvException(
                        "could not force the write-ahead log in " + options.directory() + " to the disk", e);
            }
        }
    }

    private void evictWhileOverBounds(Node written) {
        if ((sampledEviction != null || boundedCache != null) && overBounds()) {
            if (sampledEviction != null) {
                sampledEviction.evictWhileOverBounds(written);
            } else {
                boundedCache.cleanUp();
            }
        }
    }

    /**
     * Keeps counters, indexes and log in step with a change of {@code key} from {@code before} to
     * {@code after}; runs under the key's lock. Returns the log position to sync to, or -1.
     *
     * @throws CapacityExceededException under policy NONE, before anything changed
     */
    long record(String key, Node before, Node after, boolean checkBounds) {
        long entryDelta = (after == null ? 0 : 1) - (before == null ? 0 : 1);
        long byteDelta = (after == null ? 0 : after.value.length) - (before == null ? 0 : before.value.length);
        if (checkBounds && reserves) {
            reserve(key, entryDelta, byteDelta);
        } else {
            // An overwrite of the same size changes neither: spare two contended atomic additions.
            if (entryDelta != 0) {
                entries.addAndGet(entryDelta);
            }
            if (byteDelta != 0) {
                bytes.addAndGet(byteDelta);
            }
        }
        long position = -1;
        WriteAheadLog wal = log;
        if (wal != null) {
            try {
                position = wal.append(key, after);
            } catch (IOException | RuntimeException e) {
                entries.addAndGet(-entryDelta);
                bytes.addAndGet(-byteDelta);
                throw new KvException("could not append to the write-ahead log in " + options.directory(), e);
            }
        }
        if (before == null) {
            keyIndex.add(key);
        } else if (after == null) {
            keyIndex.remove(key);
        }
        long beforeExpiry = before == null ? Node.NEVER : before.expiresMicros;
        long afterExpiry = after == null ? Node.NEVER : after.expiresMicros;
        if (beforeExpiry != afterExpiry) {
            if (beforeExpiry != Node.NEVER) {
                expiryIndex.remove(new ExpiryKey(beforeExpiry, key));
            }
            if (afterExpiry != Node.NEVER) {
                expiryIndex.add(new ExpiryKey(afterExpiry, key));
            }
        }
        if (after != null && tracksAccess) {
            after.lastAccessNanos = System.nanoTime();
            after.frequency = before == null ? 1 : Math.max(1, before.frequency);
        }
        return position;
    }

    private void reserve(String key, long entryDelta, long byteDelta) {
        if (!add(entries, entryDelta, options.maxEntries())) {
            throw new CapacityExceededException(key, "maxEntries", options.maxEntries());
        }
        if (!add(bytes, byteDelta, options.maxBytes())) {
            entries.addAndGet(-entryDelta);
            throw new CapacityExceededException(key, "maxBytes", options.maxBytes());
        }
    }

    /** Adds {@code delta} unless that takes the counter above {@code limit}; a decrease always succeeds. */
    private static boolean add(AtomicLong counter, long delta, long limit) {
        if (delta <= 0) {
            counter.addAndGet(delta);
            return true;
        }
        for (long current = counter.get(); ; current = counter.get()) {
            if (current + delta > limit) {
                return false;
            }
            if (counter.compareAndSet(current, current + delta)) {
                return true;
            }
        }
    }

    /**
     * Records a change in the stream, if there is one, judging by the clock now whether {@code
     * before} was live (a delete) or expired; runs under the key's lock. Removals the store decides
     * on its own (cleanup, eviction) are not a transaction's and are recorded at once.
     */
    private void streamed(String key, Node before, Node after, boolean byWriter) {
        if (changes != null) {
            streamed(key, before, after, before != null && before.liveAt(expiryNow()), byWriter);
        }
    }

    /**
     * The same for a write that has judged {@code before} itself, by the time it was made. A write
     * of the running transaction ({@code byWriter} on its thread) is held back until it ends.
     */
    void streamed(String key, Node before, Node after, boolean beforeWasLive, boolean byWriter) {
        if (changes != null) {
            changes.record(
                    key,
                    before,
                    after,
                    front.nowMicros(),
                    beforeWasLive,
                    byWriter && transactionLock.isHeldByCurrentThread());
        }
    }

    // ----------------------------------------------------------------- expiry and eviction

    long cleanupExpired() {
        long now = expiryNow();
        long removed = 0;
        for (ExpiryKey expired : expiredAt(now)) {
            if (remove(
                    expired.key(),
                    node -> node.expiresMicros == expired.expiresMicros() && !node.liveAt(now),
                    RemovalCause.EXPIRED)) {
                removed++;
            }
        }
        return removed;
    }

    /** Removes the expired node a point read met, unless written again meanwhile, as the cleaner would. */
    void removeExpired(String key, long expiryNow) {
        remove(key, current -> !current.liveAt(expiryNow), RemovalCause.EXPIRED);
    }

    boolean overBounds() {
        return entries.get() > options.maxEntries() || bytes.get() > options.maxBytes();
    }

    /** Removes {@code victim} to make room, unless it was replaced or removed meanwhile. */
    boolean evict(Node victim) {
        long now = expiryNow();
        return remove(
                victim.key, node -> node == victim, victim.liveAt(now) ? RemovalCause.EVICTED : RemovalCause.EXPIRED);
    }

    private boolean remove(String key, Predicate<Node> when, RemovalCause cause) {
        Node[] removed = new Node[1];
        enterGate();
        try {
            map.computeIfPresent(key, (k, current) -> {
                if (!when.test(current)) {
                    return current;
                }
                record(k, current, null, false);
                streamed(k, current, null, false);
                removed[0] = current;
                return null;
            });
        } finally {
            leaveGate();
        }
        if (removed[0] == null) {
            return false;
        }
        removed(removed[0], cause);
        return true;
    }

    private void evictedByCaffeine(String key, Node node) {
        record(key, node, null, false);
        streamed(key, node, null, false);
        removed(node, node.liveAt(expiryNow()) ? RemovalCause.EVICTED : RemovalCause.EXPIRED);
    }

    private void removed(Node node, RemovalCause cause) {
        if (cause == RemovalCause.EXPIRED) {
            counters.expired();
            notify(options.onExpiry(), node, cause);
        } else {
            counters.evicted();
            notify(options.onEviction(), node, cause);
        }
    }

    private static void notify(RemovalListener listener, Node node, RemovalCause cause) {
        try {
            listener.onRemoval(node.key, node.value.clone(), cause);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a removal listener failed for key \"" + node.key + "\"", e);
        }
    }

    // ----------------------------------------------------------------------------- persistence

    /** Loads a node during recovery, without logging it; the caller has checked its key. */
    void load(String key, Node node) {
        map.compute(key, (k, current) -> {
            if (current == node) {
                return current;
            }
            record(k, current, node, false);
            return node;
        });
    }

    /** Removes a key during recovery, without logging it. */
    void unload(String key) {
        map.computeIfPresent(key, (k, current) -> {
            record(k, current, null, false);
            return null;
        });
    }

    /** Removes every expired entry without telling the listeners: used on loading, before anyone listens. */
    void dropExpired() {
        long now = expiryNow();
        for (ExpiryKey expired : expiredAt(now)) {
            map.computeIfPresent(expired.key(), (k, current) -> {
                if (current.liveAt(now)) {
                    return current;
                }
                record(k, current, null, false);
                return null;
            });
        }
    }

    void startLogging(WriteAheadLog log) {
        this.log = log;
    }

    WriteAheadLog log() {
        return log;
    }

    private void enterGate() {
        if (segmentGate != null) {
            segmentGate.readLock().lock();
        }
    }

    private void leaveGate() {
        if (segmentGate != null) {
            segmentGate.readLock().unlock();
        }
    }

    /** Keeps writes out while {@code action} runs (to start a new log segment at a clean point); HYBRID only. */
    <T> T exclusively(IoAction<T> action) throws IOException {
        segmentGate.writeLock().lock();
        try {
            return action.run();
        } finally {
            segmentGate.writeLock().unlock();
        }
    }

    @FunctionalInterface
    interface IoAction<T> {
        T run() throws IOException;
    }

    boolean closed() {
        return closed;
    }

    /** @throws StoreClosedException once the store is closed: reads, writes and scans alike */
    void requireOpen() {
        if (closed) {
            throw new StoreClosedException("the memory kv store");
        }
    }

    /** Refuses every operation from now on, lets Caffeine finish its maintenance and closes the log. */
    void close() throws IOException {
        closed = true;
        if (boundedCache != null) {
            boundedCache.cleanUp();
        }
        WriteAheadLog wal = log;
        if (wal != null) {
            wal.close();
        }
    }
}

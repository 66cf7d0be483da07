package dev.kv.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kv.CapacityExceededException;
import dev.kv.ChangeStream;
import dev.kv.CleanupStrategy;
import dev.kv.Entry;
import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import dev.kv.KeyOrder;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import dev.kv.ValueFormat;
import dev.kv.VersionConflictException;
import dev.kv.internal.InvalidJsonException;
import dev.kv.internal.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The in-memory store. Entries live in a concurrent hash map (Caffeine's, under the default bounded
 * policy); a skip list of the keys in code point order serves scans, and one of the expiring
 * entries in expiry order serves the cleaner and the TTL policy. Both indexes, the counters and the
 * log are kept inside the map's per-key {@code compute}, so they change atomically with the entry.
 * Liveness is judged at {@link #expiryNow()}, which the cleanup strategy may set apart from the time
 * written into entries.
 */
final class MemoryStore implements MemoryKvStore {

    private static final System.Logger LOG = System.getLogger(MemoryStore.class.getName());

    /** Latest accepted expiry, as in the PostgreSQL store. */
    private final KvConfig config;

    private final MemoryOptions options;
    private final ConcurrentMap<String, Node> map;
    /** Reads without counting as an access (for scans, the cleaner and the eviction sampler). */
    private final Function<String, Node> peek;
    /** The Caffeine cache under the default bounded policy; null under the others. */
    private final Cache<String, Node> boundedCache;

    private final ConcurrentSkipListSet<String> keyIndex = new ConcurrentSkipListSet<>(KeyOrder.CODE_POINTS);
    private final ConcurrentSkipListSet<ExpiryKey> expiryIndex = new ConcurrentSkipListSet<>();
    private final KeyScan scan;
    private final SampledEviction sampledEviction;
    private final boolean tracksAccess;
    private final boolean jsonValues;

    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder sets = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder expirations = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** The log, once recovery is over; null without one. */
    private volatile WriteAheadLog log;
    /**
     * HYBRID only: writes hold it shared, a checkpoint alone while it starts a new log segment. The
     * other modes do without, sparing every write a compare-and-set on one shared word.
     */
    private final ReadWriteLock segmentGate;

    /** One transaction at a time: they never wait for each other's keys, so never deadlock. */
    private final ReentrantLock transactionLock = new ReentrantLock();

    private volatile boolean closed;
    private Runnable onClose = () -> {};
    /** Null unless the configuration asks for a change stream. */
    private final MemoryChangeStream changes;

    MemoryStore(KvConfig config, MemoryOptions options) {
        this.config = config;
        this.options = options;
        this.jsonValues = config.format() == ValueFormat.JSONB;
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
        this.scan = new KeyScan(keyIndex, peek);
        boolean sampling =
                options.bounded() && policy != EvictionPolicy.WINDOW_TINY_LFU && policy != EvictionPolicy.NONE;
        this.sampledEviction = sampling ? new SampledEviction(this, policy) : null;
        this.tracksAccess = sampling
                && (policy == EvictionPolicy.LRU || policy == EvictionPolicy.LFU || policy == EvictionPolicy.TTL);
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

    private Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The instant, in microseconds, by which entries are live or expired (see {@link CleanupStrategy#expiryNow}). */
    long expiryNow() {
        return expiryNow(config.clock().instant());
    }

    /** The same for a time already read, so that one operation judges and writes by one reading of the clock. */
    private long expiryNow(Instant now) {
        return Node.micros(config.cleanupStrategy().expiryNow(now));
    }

    /** The live node of a key, counted as an access. */
    private Node live(String key) {
        Node node = met(key, find(key));
        if (node != null && tracksAccess) {
            node.touch();
        }
        return node;
    }

    /**
     * The node of {@code key}, live or expired. The key is checked only when nothing is stored under
     * it: a stored key was checked when written, and sparing a hit the check spares it a pass over
     * the key's characters.
     */
    private Node find(String key) {
        Node node = key == null ? null : map.get(key);
        if (node == null) {
            config.limits().checkKey(key);
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
        long now = expiryNow();
        if (node.liveAt(now)) {
            return node;
        }
        if (config.cleanupStrategy() == CleanupStrategy.ON_READ) {
            remove(key, current -> !current.liveAt(now), RemovalCause.EXPIRED);
        }
        return null;
    }

    @Override
    public Optional<byte[]> get(String key) {
        Node node = counted(live(key));
        return node == null ? Optional.empty() : Optional.of(node.value.clone());
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        Node node = counted(live(key));
        return node == null ? Optional.empty() : Optional.of(node.toEntry());
    }

    private Node counted(Node node) {
        (node != null ? hits : misses).increment();
        return node;
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
        return node.expires() ? Ttl.between(now(), Node.instant(node.expiresMicros)) : Ttl.persistent();
    }

    @Override
    public List<String> keys(String prefix) {
        config.limits().checkPrefix(prefix);
        return keys(ScanOptions.prefix(prefix));
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return scan.select(options, config.limits(), expiryNow(), true).stream()
                .map(node -> node.key)
                .toList();
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return scan.select(options, config.limits(), expiryNow(), true).stream()
                .map(Node::toEntry)
                .toList();
    }

    @Override
    public long count(ScanOptions options) {
        return scan.select(options, config.limits(), expiryNow(), false).size();
    }

    @Override
    public long delete(ScanOptions options) {
        long now = expiryNow();
        long deleted = 0;
        for (Node node : scan.select(options, config.limits(), now, false)) {
            deleted += deleteLive(node.key, now) ? 1 : 0;
        }
        return deleted;
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        if (keys == null) {
            throw new KvValidationException("keys must not be null");
        }
        keys.forEach(config.limits()::checkKey);
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

    private Duration requireTtl(Duration ttl) {
        return config.limits().checkTtl(ttl);
    }

    private long expiry(Instant now, Duration ttl) {
        return Node.micros(config.limits().expiresAt(now, ttl));
    }

    /** A private copy of a valid value. */
    private byte[] checkedCopy(byte[] value) {
        config.limits().checkValue(value);
        if (jsonValues) {
            try {
                JsonText.decode(value);
            } catch (InvalidJsonException e) {
                throw new InvalidValueException(e.getMessage(), e);
            }
        }
        return value.clone();
    }

    @Override
    public void set(String key, byte[] value) {
        write(key, value, null);
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        write(key, value, requireTtl(ttl));
    }

    private void write(String key, byte[] value, Duration ttl) {
        config.limits().checkKey(key);
        byte[] copy = checkedCopy(value);
        Instant now = now();
        long expires = ttl == null ? Node.NEVER : expiry(now, ttl);
        long nowMicros = Node.micros(now);
        mutate(
                key,
                expiryNow(now),
                (current, live) -> live
                        ? current.rewritten(copy, expires, nowMicros)
                        : new Node(key, copy, 1, nowMicros, nowMicros, expires));
        sets.increment();
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return insertIfAbsent(key, value, null);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return insertIfAbsent(key, value, requireTtl(ttl));
    }

    private boolean insertIfAbsent(String key, byte[] value, Duration ttl) {
        config.limits().checkKey(key);
        byte[] copy = checkedCopy(value);
        Instant now = now();
        long expires = ttl == null ? Node.NEVER : expiry(now, ttl);
        long nowMicros = Node.micros(now);
        Change change = mutate(
                key,
                expiryNow(now),
                (current, live) -> live ? current : new Node(key, copy, 1, nowMicros, nowMicros, expires));
        if (change.changed()) {
            sets.increment();
        }
        return change.changed();
    }

    @Override
    public boolean delete(String key) {
        config.limits().checkKey(key);
        return deleteLive(key, expiryNow());
    }

    /** Removes {@code key}, live or expired; returns whether it was live. */
    private boolean deleteLive(String key, long expiryNow) {
        Change change = mutate(key, expiryNow, (current, live) -> null);
        if (change.beforeWasLive) {
            deletes.increment();
        }
        return change.beforeWasLive;
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        config.limits().checkKey(key);
        byte[] copy = checkedCopy(value);
        if (expectedVersion < ABSENT) {
            throw new KvValidationException("expectedVersion must not be negative, but was " + expectedVersion);
        }
        Instant now = now();
        long nowMicros = Node.micros(now);
        Change change = mutate(key, expiryNow(now), (current, live) -> {
            requireVersion(key, live ? current.version : ABSENT, expectedVersion);
            return live
                    ? current.rewritten(copy, current.expiresMicros, nowMicros)
                    : new Node(key, copy, 1, nowMicros, nowMicros, Node.NEVER);
        });
        sets.increment();
        return change.after.version;
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        config.limits().checkKey(key);
        if (expectedVersion <= ABSENT) {
            throw new KvValidationException("expectedVersion must be positive, but was " + expectedVersion);
        }
        mutate(key, expiryNow(), (current, live) -> {
            requireVersion(key, live ? current.version : ABSENT, expectedVersion);
            return null;
        });
        deletes.increment();
    }

    private static void requireVersion(String key, long actual, long expected) {
        if (actual != expected) {
            throw new VersionConflictException(key, expected, actual);
        }
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        if (keys == null) {
            throw new KvValidationException("keys must not be null");
        }
        keys.forEach(config.limits()::checkKey);
        long now = expiryNow();
        long deleted = 0;
        for (String key : new LinkedHashSet<>(keys)) {
            deleted += deleteLive(key, now) ? 1 : 0;
        }
        return deleted;
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        writeMany(entries, null);
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        writeMany(entries, requireTtl(ttl));
    }

    /**
     * Checks every entry, then writes them one by one; if a write fails (a bound under policy NONE,
     * the log), the entries already written get back what they held. Readers may see part of a batch
     * while it is written.
     */
    private void writeMany(Map<String, byte[]> entries, Duration ttl) {
        if (entries == null) {
            throw new KvValidationException("entries must not be null");
        }
        Map<String, byte[]> copies = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            config.limits().checkKey(key);
            copies.put(key, checkedCopy(value));
        });
        Instant now = now();
        long expires = ttl == null ? Node.NEVER : expiry(now, ttl);
        long nowMicros = Node.micros(now);
        long expiryNow = expiryNow(now);
        List<Change> written = new ArrayList<>();
        try {
            copies.forEach((key, copy) -> written.add(mutate(
                    key,
                    expiryNow,
                    (current, live) -> live
                            ? current.rewritten(copy, expires, nowMicros)
                            : new Node(key, copy, 1, nowMicros, nowMicros, expires))));
        } catch (RuntimeException e) {
            for (int i = written.size() - 1; i >= 0; i--) {
                Change change = written.get(i);
                try {
                    putBack(change.after.key, change.after, change.beforeWasLive ? change.before : null);
                } catch (RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        }
        sets.add(written.size());
    }

    /**
     * Undoes a write of a batch or transaction: {@code previous} (null: none; an expired node counts
     * as none) replaces {@code written} if the key still holds that.
     */
    void putBack(String key, Node written, Node previous) {
        Node restored = previous != null && previous.liveAt(expiryNow()) ? previous : null;
        Change change = new Change();
        enterGate();
        try {
            map.compute(key, (k, current) -> {
                if (current != written || current == restored) {
                    return current;
                }
                change.logPosition = record(k, current, restored, false);
                streamed(k, current, restored, true);
                return restored;
            });
        } finally {
            leaveGate();
        }
        afterCommit(change);
    }

    /**
     * Runs {@code work} on a view that remembers what each write replaced, one transaction at a
     * time; if {@code work} throws, the writes are undone. Operations outside transactions neither
     * wait for one nor are kept from seeing its writes before it ends.
     */
    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        if (work == null) {
            throw new KvValidationException("work must not be null");
        }
        transactionLock.lock();
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
                if (changes != null) {
                    changes.endTransaction(committed);
                }
            }
        } finally {
            transactionLock.unlock();
        }
    }

    @Override
    public List<Boolean> apply(List<Mutation> mutations) {
        checkMutations(mutations);
        return inTransaction(transaction -> applyChecked(transaction, mutations));
    }

    /** Checks every mutation before any is applied. */
    void checkMutations(List<Mutation> mutations) {
        if (mutations == null) {
            throw new KvValidationException("mutations must not be null");
        }
        Instant now = now();
        for (Mutation mutation : mutations) {
            if (mutation == null) {
                throw new KvValidationException("mutations must not contain null");
            }
            config.limits().checkKey(mutation.key());
            mutation.value().ifPresent(this::checkedCopy);
            mutation.ttl().ifPresent(ttl -> expiry(now, ttl));
        }
    }

    static List<Boolean> applyChecked(KvStore transaction, List<Mutation> mutations) {
        List<Boolean> results = new ArrayList<>();
        for (Mutation mutation : mutations) {
            if (mutation.isDelete()) {
                results.add(transaction.delete(mutation.key()));
            } else if (mutation.ttl().isPresent()) {
                transaction.set(
                        mutation.key(),
                        mutation.value().orElseThrow(),
                        mutation.ttl().get());
                results.add(true);
            } else {
                transaction.set(mutation.key(), mutation.value().orElseThrow());
                results.add(true);
            }
        }
        return List.copyOf(results);
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        config.limits().checkKey(key);
        Instant now = now();
        long expires = expiry(now, ttl);
        long nowMicros = Node.micros(now);
        return mutate(
                        key,
                        expiryNow(now),
                        (current, live) -> live ? current.rewritten(current.value, expires, nowMicros) : current)
                .changed();
    }

    @Override
    public boolean persist(String key) {
        config.limits().checkKey(key);
        Instant now = now();
        long nowMicros = Node.micros(now);
        return mutate(
                        key,
                        expiryNow(now),
                        (current, live) -> live && current.expires()
                                ? current.rewritten(current.value, Node.NEVER, nowMicros)
                                : current)
                .changed();
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return readModifyWrite(key, null, fn);
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return readModifyWrite(key, requireTtl(ttl), fn);
    }

    private Optional<byte[]> readModifyWrite(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        config.limits().checkKey(key);
        if (ttl != null) {
            expiry(now(), ttl);
        }
        if (fn == null) {
            throw new KvValidationException("fn must not be null");
        }
        Change change = mutate(key, WHEN_COMPUTED, (current, live) -> {
            Instant now = now();
            long nowMicros = Node.micros(now);
            byte[] next = fn.apply(live ? current.value.clone() : null);
            if (next == null) {
                return null;
            }
            byte[] copy = checkedCopy(next);
            long expires = ttl != null ? expiry(now, ttl) : live ? current.expiresMicros : Node.NEVER;
            return live
                    ? current.rewritten(copy, expires, nowMicros)
                    : new Node(key, copy, 1, nowMicros, nowMicros, expires);
        });
        if (change.after == null) {
            if (change.beforeWasLive) {
                deletes.increment();
            }
            return Optional.empty();
        }
        sets.increment();
        return Optional.of(change.after.value.clone());
    }

    /** What one write did: filled in inside the map's {@code compute}, acted on after it. */
    private static final class Change {
        Node before;
        Node after;
        boolean beforeWasLive;
        long logPosition = -1;

        boolean changed() {
            return before != after;
        }
    }

    /** What a write makes of the current node: itself for no change, null to remove it. */
    @FunctionalInterface
    private interface Rewrite {
        /**
         * @param current the node, live or expired, or null
         * @param live whether {@code current} is live
         */
        Node apply(Node current, boolean live);
    }

    /** For {@link #mutate}: judge liveness by the clock when the key is locked. */
    private static final long WHEN_COMPUTED = Long.MIN_VALUE;

    /**
     * Replaces the node of {@code key} by what {@code rewrite} makes of it, atomically with the
     * indexes, counters and log. {@code expiryNow} is the time by which the current node is live or
     * expired.
     */
    private Change mutate(String key, long expiryNow, Rewrite rewrite) {
        Change change = new Change();
        try {
            commit(key, expiryNow, rewrite, change);
        } catch (CapacityExceededException full) {
            // Expired entries count towards the bounds until removed; they must never block a write.
            if (cleanupExpired() == 0) {
                throw full;
            }
            change = new Change();
            commit(key, expiryNow, rewrite, change);
        }
        afterCommit(change);
        return change;
    }

    private void commit(String key, long expiryNow, Rewrite rewrite, Change change) {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        enterGate();
        try {
            map.compute(key, (k, current) -> {
                long now = expiryNow != WHEN_COMPUTED ? expiryNow : expiryNow();
                boolean live = current != null && current.liveAt(now);
                Node next = rewrite.apply(current, live);
                change.before = current;
                change.beforeWasLive = live;
                if (next != current) {
                    change.logPosition = record(k, current, next, true);
                    streamed(k, current, next, live, true);
                }
                change.after = next;
                return next;
            });
        } finally {
            leaveGate();
        }
    }

    private void afterCommit(Change change) {
        if (change.changed() && change.before != null && !change.beforeWasLive) {
            expirations.increment();
            notify(options.onExpiry(), change.before, RemovalCause.EXPIRED);
        }
        WriteAheadLog wal = log;
        if (change.logPosition >= 0 && wal != null && options.syncPolicy() == SyncPolicy.EVERY_WRITE) {
            try {
                wal.syncTo(change.logPosition);
            } catch (IOException e) {
                throw new KvException(
                        "could not force the write-ahead log in " + options.directory() + " to the disk", e);
            }
        }
        if (change.after != null && (sampledEviction != null || boundedCache != null) && overBounds()) {
            if (sampledEviction != null) {
                sampledEviction.evictWhileOverBounds(change.after);
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
    private long record(String key, Node before, Node after, boolean checkBounds) {
        long entryDelta = (after == null ? 0 : 1) - (before == null ? 0 : 1);
        long byteDelta = (after == null ? 0 : after.value.length) - (before == null ? 0 : before.value.length);
        if (checkBounds && options.evictionPolicy() == EvictionPolicy.NONE) {
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

    // ----------------------------------------------------------------- expiry and eviction

    @Override
    public long cleanupExpired() {
        long now = expiryNow();
        long removed = 0;
        for (ExpiryKey expired : expiryIndex.headSet(new ExpiryKey(now + 1, ""))) {
            if (remove(
                    expired.key(),
                    node -> node.expiresMicros == expired.expiresMicros() && !node.liveAt(now),
                    RemovalCause.EXPIRED)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Records a change in the stream, if there is one, judging by the clock now whether {@code
     * before} was live (a delete) or expired; runs under the key's lock. A write of the running transaction ({@code byWriter} on
     * its thread) is held back until it ends; removals the store decides on its own (cleanup,
     * eviction) are not the transaction's and are recorded at once.
     */
    private void streamed(String key, Node before, Node after, boolean byWriter) {
        if (changes != null) {
            Instant now = config.clock().instant();
            streamed(key, before, after, before != null && before.liveAt(expiryNow(now)), byWriter);
        }
    }

    /** The same for a write that has judged {@code before} itself, by the time it was made. */
    private void streamed(String key, Node before, Node after, boolean beforeWasLive, boolean byWriter) {
        if (changes != null) {
            changes.record(
                    key,
                    before,
                    after,
                    Node.micros(config.clock().instant()),
                    beforeWasLive,
                    byWriter && transactionLock.isHeldByCurrentThread());
        }
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

    private boolean remove(String key, java.util.function.Predicate<Node> when, RemovalCause cause) {
        Change change = new Change();
        enterGate();
        try {
            map.computeIfPresent(key, (k, current) -> {
                if (!when.test(current)) {
                    return current;
                }
                record(k, current, null, false);
                streamed(k, current, null, false);
                change.before = current;
                return null;
            });
        } finally {
            leaveGate();
        }
        if (change.before == null) {
            return false;
        }
        removed(change.before, cause);
        return true;
    }

    private void evictedByCaffeine(String key, Node node) {
        record(key, node, null, false);
        streamed(key, node, null, false);
        removed(node, node.liveAt(expiryNow()) ? RemovalCause.EVICTED : RemovalCause.EXPIRED);
    }

    private void removed(Node node, RemovalCause cause) {
        if (cause == RemovalCause.EXPIRED) {
            expirations.increment();
            notify(options.onExpiry(), node, cause);
        } else {
            evictions.increment();
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

    /** The nodes, for the eviction sampler; reading them does not count as an access. */
    Iterable<Node> nodes() {
        return map.values();
    }

    /** The expiring keys, soonest first, for the TTL policy. */
    Iterable<ExpiryKey> expiring() {
        return expiryIndex;
    }

    Node peek(String key) {
        return peek.apply(key);
    }

    // ----------------------------------------------------------------------------- persistence

    /**
     * Loads a node during recovery, without logging it. Its key is checked as a write's would be:
     * reads trust a key they find (see {@link #find}).
     *
     * @throws InvalidKeyException if this store's limits refuse the key
     */
    void load(String key, Node node) {
        config.limits().checkKey(key);
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

    void startLogging(WriteAheadLog log) {
        this.log = log;
    }

    WriteAheadLog log() {
        return log;
    }

    /** Removes every expired entry without telling the listeners: used on loading, before anyone listens. */
    void dropExpired() {
        long now = expiryNow();
        for (ExpiryKey expired : expiryIndex.headSet(new ExpiryKey(now + 1, ""))) {
            map.computeIfPresent(expired.key(), (k, current) -> {
                if (current.liveAt(now)) {
                    return current;
                }
                record(k, current, null, false);
                return null;
            });
        }
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

    /** The live nodes, for a snapshot. */
    Iterable<Node> liveNodes() {
        long now = expiryNow();
        return () -> map.values().stream().filter(node -> node.liveAt(now)).iterator();
    }

    @Override
    public SnapshotInfo snapshot(Path file) {
        Instant takenAt = now();
        try {
            long count = SnapshotFile.write(file, 0, liveNodes());
            return new SnapshotInfo(file.toAbsolutePath(), count, Files.size(file), takenAt);
        } catch (IOException e) {
            throw new KvException("could not write the snapshot " + file, e);
        }
    }

    @Override
    public void restore(Path file) {
        SnapshotFile.Contents contents;
        try {
            contents = SnapshotFile.read(file);
        } catch (IOException e) {
            throw new KvException("could not read the snapshot " + file + ": " + e.getMessage(), e);
        }
        long now = expiryNow();
        List<Node> restored =
                contents.nodes().stream().filter(node -> node.liveAt(now)).toList();
        for (Node node : restored) {
            try {
                config.limits().checkKey(node.key);
            } catch (InvalidKeyException refused) {
                throw new InvalidKeyException(
                        "the snapshot " + file + " holds a key this store refuses: " + refused.getMessage());
            }
        }
        if (options.evictionPolicy() == EvictionPolicy.NONE) {
            long total = restored.stream().mapToLong(node -> node.value.length).sum();
            if (restored.size() > options.maxEntries()) {
                throw new CapacityExceededException(file.toString(), "maxEntries", options.maxEntries());
            }
            if (total > options.maxBytes()) {
                throw new CapacityExceededException(file.toString(), "maxBytes", options.maxBytes());
            }
        }
        for (String key : keyIndex) {
            mutate(key, now, (current, live) -> null);
        }
        for (Node node : restored) {
            mutate(node.key, now, (current, live) -> node);
        }
    }

    // ---------------------------------------------------------------------------------- the rest

    /**
     * The counters, and the live entries and value bytes: the held ones less those expired and not
     * yet removed, which the index of expiring entries lists.
     */
    @Override
    public KvStats stats() {
        long now = expiryNow();
        long expiredEntries = 0;
        long expiredBytes = 0;
        for (ExpiryKey expired : expiryIndex.headSet(new ExpiryKey(now + 1, ""))) {
            Node node = peek.apply(expired.key());
            if (node != null && node.expiresMicros == expired.expiresMicros()) {
                expiredEntries++;
                expiredBytes += node.value.length;
            }
        }
        long hitCount = hits.sum();
        long missCount = misses.sum();
        return new KvStats(
                hitCount + missCount,
                hitCount,
                missCount,
                sets.sum(),
                deletes.sum(),
                expirations.sum(),
                evictions.sum(),
                Math.max(0, entries.get() - expiredEntries),
                Math.max(0, bytes.get() - expiredBytes));
    }

    @Override
    public ChangeStream changes() {
        return changes != null ? changes : MemoryKvStore.super.changes();
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

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        onClose.run();
        closed = true;
        if (boundedCache != null) {
            boundedCache.cleanUp();
        }
        WriteAheadLog wal = log;
        if (wal != null) {
            try {
                wal.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not close the write-ahead log in " + options.directory(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "MemoryKvStore[" + options + ", limits=" + config.limits() + ", clock=" + config.clock() + "]";
    }
}

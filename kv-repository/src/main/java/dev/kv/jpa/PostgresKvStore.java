package dev.kv.jpa;

import dev.kv.CasResult;
import dev.kv.CasResult.Outcome;
import dev.kv.ChangeStream;
import dev.kv.CleanupStrategy;
import dev.kv.Entry;
import dev.kv.Expiry;
import dev.kv.KeyCollisionException;
import dev.kv.KvConfig;
import dev.kv.KvDatabaseException;
import dev.kv.KvException;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.Lease;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import dev.kv.VersionConflictException;
import dev.kv.internal.BackendKvStore;
import dev.kv.internal.HashedKey;
import dev.kv.internal.LockValue;
import dev.kv.internal.OperationCounters;
import dev.kv.internal.OperationFront;
import dev.kv.internal.WrittenExpiry;
import dev.kv.jpa.SqlDialect.Insertion;
import dev.kv.jpa.SqlDialect.LockAction;
import dev.kv.jpa.SqlDialect.Locked;
import dev.kv.jpa.SqlDialect.NewRow;
import dev.kv.jpa.SqlDialect.Projection;
import dev.kv.jpa.SqlDialect.Scan;
import dev.kv.jpa.SqlDialect.SwapCondition;
import dev.kv.jpa.SqlDialect.Swapped;
import dev.kv.jpa.SqlDialect.TableSize;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store. Single-key operations are one statement each, the atomic ones ({@code
 * compareAndSwap}, {@code getAndSet}, {@code getAndDelete}, counters) included; {@code update} is one
 * transaction holding the row lock; batches are {@link SqlBatches}. Each operation runs its front
 * ({@link OperationFront}: checks, clock, expiry), then its statements ({@link SqlDialect}) through
 * the {@link SqlExecutor}, then judges what they met: a live row of another key is a collision.
 * Times are in microseconds like PostgreSQL's; expiry is judged at {@link CleanupStrategy#expiryNow},
 * a separate parameter of every statement from the time written into rows.
 */
final class PostgresKvStore extends BackendKvStore {

    /** How often update() looks again after another writer created the key it found absent. */
    private static final int UPDATE_ATTEMPTS = 16;

    private final KvConfig config;
    private final SqlDialect sql;
    private final SqlExecutor executor;
    private final OperationCounters counters;
    private final SqlBatches batches;
    private final ChangeStream changes;
    private final ScheduledCleanup cleanup;
    /** Null on a database without UNLOGGED tables (SQLite). */
    private final UnloggedResetCheck resetCheck;

    /** A store that runs on {@code transactions}; with {@code scheduleCleanup}, it cleans up on the configured interval. */
    PostgresKvStore(KvConfig config, Transactions transactions, boolean scheduleCleanup) {
        this(config, new PostgresDialect(config), transactions, scheduleCleanup);
    }

    /** A store whose statements are {@code dialect}'s (SQLite: {@code SqliteDialect} of kv-sqlite). */
    PostgresKvStore(KvConfig config, SqlDialect dialect, Transactions transactions, boolean scheduleCleanup) {
        super(new OperationFront(config));
        this.config = config;
        this.sql = dialect;
        this.executor = new SqlExecutor(transactions, "the kv store " + config.schema() + "." + config.table());
        this.counters = new OperationCounters();
        this.batches = new SqlBatches(sql, executor, front, counters, config.cleanupStrategy());
        this.changes = config.changeStream() ? sql.changeStream(executor, config.clock()) : null;
        this.resetCheck = dialect instanceof PostgresDialect ? new UnloggedResetCheck(config) : null;
        this.cleanup = scheduleCleanup && config.cleanupStrategy() != CleanupStrategy.DISABLED
                ? config.cleanupInterval()
                        .map(interval -> new ScheduledCleanup(this, interval))
                        .orElse(null)
                : null;
    }

    /** The store of one {@link #inTransaction} unit: the same table and counters, on the unit's connection. */
    private PostgresKvStore(PostgresKvStore parent, SqlExecutor bound) {
        super(parent.front);
        this.config = parent.config;
        this.sql = parent.sql;
        this.executor = bound;
        this.counters = parent.counters;
        this.batches = new SqlBatches(sql, bound, front, counters, config.cleanupStrategy());
        this.changes = config.changeStream() ? sql.changeStream(bound, config.clock()) : null;
        this.resetCheck = parent.resetCheck;
        this.cleanup = null;
    }

    // Point reads.

    @Override
    public Optional<byte[]> get(String key) {
        HashedKey k = front.hashedKey(key);
        Instant now = front.now();
        StoredRow row = executor.statement("get", c -> sql.selectValue(c, k.hash()));
        Optional<byte[]> value = met(k, row, now, "get")
                .map(live -> refreshed(k, live, now, "get"))
                .map(StoredRow::value);
        counters.read(value.isPresent());
        return value;
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        HashedKey k = front.hashedKey(key);
        Instant now = front.now();
        StoredRow row = executor.statement("getEntry", c -> sql.selectEntry(c, k.hash()));
        Optional<Entry> entry = met(k, row, now, "getEntry")
                .map(live -> refreshed(k, live, now, "getEntry"))
                .map(StoredRow::toEntry);
        counters.read(entry.isPresent());
        return entry;
    }

    @Override
    public boolean exists(String key) {
        HashedKey k = front.hashedKey(key);
        Instant now = front.now();
        StoredRow row = executor.statement("exists", c -> sql.selectExpiry(c, k.hash()));
        return met(k, row, now, "exists").isPresent();
    }

    @Override
    public Ttl ttl(String key) {
        HashedKey k = front.hashedKey(key);
        Instant now = front.now();
        StoredRow row = executor.statement("ttl", c -> sql.selectExpiry(c, k.hash()));
        return met(k, row, now, "ttl")
                .map(live -> live.expiresAt() == null ? Ttl.persistent() : Ttl.between(now, live.expiresAt()))
                .orElse(Ttl.absent());
    }

    /**
     * The live row a get read, its idle expiry moved on by a second statement when less than half its idle
     * period is left ({@link WrittenExpiry#refreshedAt}); unchanged if another write came first.
     */
    private StoredRow refreshed(HashedKey k, StoredRow live, Instant now, String operation) {
        if (live.expiresAt() == null) {
            return live;
        }
        long refreshed = front.refreshedExpiry(
                OperationFront.micros(live.expiresAt()), live.idleMicros(), OperationFront.micros(now));
        if (refreshed < 0) {
            return live;
        }
        Instant newExpiresAt = OperationFront.instant(refreshed);
        boolean done = executor.statement(operation, c -> sql.refreshIdle(c, k, live.expiresAt(), newExpiresAt));
        return done ? live.expiringAt(newExpiresAt) : live;
    }

    /**
     * The live row of this key among what a point read met; under {@link CleanupStrategy#ON_READ} an
     * expired row is deleted first, by a second statement.
     */
    private Optional<StoredRow> met(HashedKey k, StoredRow row, Instant now, String operation) {
        Instant expiryNow = front.expiryNow(now);
        if (config.cleanupStrategy() == CleanupStrategy.ON_READ && row != null && !row.isLiveAt(expiryNow)) {
            HashedKey occupant = new HashedKey(row.key(), k.hash());
            counters.expired(executor.statement(operation, c -> sql.deleteExpired(c, occupant, now)));
        }
        return live(k, row, expiryNow);
    }

    /** The row if it is live and this key's; a live row of another key is a collision. */
    static Optional<StoredRow> live(HashedKey k, StoredRow row, Instant expiryNow) {
        if (row == null || !row.isLiveAt(expiryNow)) {
            return Optional.empty();
        }
        if (!row.key().equals(k.text())) {
            throw new KeyCollisionException(k.text(), row.key(), k.hash());
        }
        return Optional.of(row);
    }

    // Single-key writes.

    @Override
    protected void write(String key, byte[] value, Expiry expiry) {
        HashedKey k = front.hashedKey(key);
        Object column = column(value);
        Instant now = front.now();
        NewRow row = new NewRow(k, column, front.written(now, expiry));
        executor.statement("set", c -> {
            if (!sql.upsert(c, row, now, front.expiryNow(now))) {
                throw collision(c, k);
            }
            return null;
        });
        counters.set();
    }

    /** The value, checked by the front, as the value column binds it. */
    private Object column(byte[] value) {
        return sql.toColumn(front.value(value));
    }

    private KeyCollisionException collision(Connection c, HashedKey k) throws SQLException {
        StoredRow occupant = sql.selectEntry(c, k.hash());
        return new KeyCollisionException(k.text(), occupant == null ? "(deleted meanwhile)" : occupant.key(), k.hash());
    }

    @Override
    protected boolean insertIfAbsent(String key, byte[] value, Expiry expiry) {
        boolean written = insertIfAbsent(front.hashedKey(key), column(value), expiry, "setIfAbsent")
                .written();
        if (written) {
            counters.set();
        }
        return written;
    }

    private Insertion insertIfAbsent(HashedKey k, Object column, Expiry expiry, String operation) {
        Instant now = front.now();
        NewRow row = new NewRow(k, column, front.written(now, expiry));
        Insertion insertion = executor.statement(operation, c -> sql.insertIfAbsent(c, row, now, front.expiryNow(now)));
        if (!insertion.written()
                && insertion.previousKey() != null
                && !insertion.previousKey().equals(k.text())) {
            throw new KeyCollisionException(k.text(), insertion.previousKey(), k.hash());
        }
        return insertion;
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        HashedKey k = front.hashedKey(key);
        Object column = column(value);
        OperationFront.writeVersion(expectedVersion);
        if (expectedVersion == ABSENT) {
            Insertion insertion = insertIfAbsent(k, column, null, "setIfVersion");
            if (!insertion.written()) {
                throw new VersionConflictException(key, ABSENT, insertion.previousVersion());
            }
            counters.set();
            return insertion.writtenVersion();
        }
        Instant now = front.now();
        Instant expiryNow = front.expiryNow(now);
        long written = executor.statement("setIfVersion", c -> {
            Long version = sql.setIfVersion(c, k, column, expectedVersion, now, expiryNow);
            if (version == null) {
                throw conflict(c, k, expectedVersion, expiryNow);
            }
            return version;
        });
        counters.set();
        return written;
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        HashedKey k = front.hashedKey(key);
        OperationFront.deleteVersion(expectedVersion);
        Instant expiryNow = front.expiryNow(front.now());
        executor.statement("deleteIfVersion", c -> {
            if (!sql.deleteIfVersion(c, k, expectedVersion, expiryNow)) {
                throw conflict(c, k, expectedVersion, expiryNow);
            }
            return null;
        });
        counters.deleted();
    }

    /** Why a version-checked write matched no row: another version, an absent key, or a collision. */
    private KvException conflict(Connection c, HashedKey k, long expectedVersion, Instant expiryNow)
            throws SQLException {
        long actual = live(k, sql.selectEntry(c, k.hash()), expiryNow)
                .map(StoredRow::version)
                .orElse(ABSENT);
        return new VersionConflictException(k.text(), expectedVersion, actual);
    }

    @Override
    public boolean delete(String key) {
        HashedKey k = front.hashedKey(key);
        Instant expiryNow = front.expiryNow(front.now());
        boolean removedLive = executor.statement("delete", c -> sql.delete(c, k, expiryNow));
        if (removedLive) {
            counters.deleted();
        }
        return removedLive;
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        HashedKey k = front.hashedKey(key);
        Instant now = front.now();
        Instant expiresAt = front.expiresAt(now, ttl);
        return executor.statement("expire", c -> sql.expire(c, k, expiresAt, null, now, front.expiryNow(now)));
    }

    @Override
    public boolean expire(String key, Expiry expiry) {
        HashedKey k = front.hashedKey(key);
        OperationFront.expiry(expiry);
        Instant now = front.now();
        NewRow row = new NewRow(k, null, front.written(now, expiry));
        return executor.statement(
                "expire", c -> sql.expire(c, k, row.expiresAt(), row.idleMicros(), now, front.expiryNow(now)));
    }

    @Override
    public boolean persist(String key) {
        HashedKey k = front.hashedKey(key);
        Instant now = front.now();
        return executor.statement("persist", c -> sql.persist(c, k, now, front.expiryNow(now)));
    }

    @Override
    public long increment(String key, long delta) {
        HashedKey k = front.hashedKey(key);
        Instant now = front.now();
        long value = executor.counterStatement(k.text(), delta, c -> {
            Long sum = sql.increment(c, k, delta, front.written(now, (Expiry) null), now, front.expiryNow(now));
            if (sum == null) {
                throw collision(c, k);
            }
            return sum;
        });
        counters.set();
        return value;
    }

    // Read-modify-write in one statement.

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement) {
        return compareAndSwap(key, expected, replacement, null, "compareAndSwap");
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl) {
        return compareAndSwap(key, expected, replacement, front.ttl(ttl), "compareAndSwap");
    }

    private CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl, String operation) {
        HashedKey k = front.hashedKey(key);
        Object expectedColumn = expected == null ? null : column(expected);
        Object column = column(replacement);
        SwapCondition condition = expected == null ? SwapCondition.ABSENT : SwapCondition.VALUE;
        Swapped swapped = swap(k, condition, expectedColumn, column, ttl, operation);
        if (swapped.written()) {
            return new CasResult(Outcome.SWAPPED, Optional.empty());
        }
        return swapped.previous() != null && swapped.previous().value() != null
                ? new CasResult(Outcome.MISMATCH, Optional.of(swapped.previous().value()))
                : new CasResult(Outcome.NOT_FOUND, Optional.empty());
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value) {
        return getAndSet(key, value, null, "getAndSet");
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl) {
        return getAndSet(key, value, front.ttl(ttl), "getAndSet");
    }

    private Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl, String operation) {
        HashedKey k = front.hashedKey(key);
        Swapped swapped = swap(k, SwapCondition.ANY, null, column(value), ttl, operation);
        return Optional.ofNullable(swapped.previous()).map(StoredRow::value);
    }

    /**
     * Runs {@link SqlDialect#swap} until it met a row or wrote, and judges the row it met: a live row of another
     * key is a collision. A TTL sets the expiry of what is written; none keeps a live entry's.
     */
    private Swapped swap(
            HashedKey k, SwapCondition condition, Object expected, Object column, Duration ttl, String operation) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Instant now = front.now();
            Instant expiryNow = front.expiryNow(now);
            NewRow row = new NewRow(k, column, front.written(now, ttl));
            Swapped swapped = executor.statement(
                    operation, c -> sql.swap(c, row, condition, expected, ttl == null, now, expiryNow));
            if (swapped.previous() != null || swapped.written() || condition == SwapCondition.VALUE) {
                live(k, swapped.previous(), expiryNow);
                if (swapped.written()) {
                    counters.set();
                }
                return swapped;
            }
        }
        throw gaveUp(k.text(), operation);
    }

    private static KvDatabaseException gaveUp(String key, String operation) {
        return new KvDatabaseException(
                "kv " + operation + " of \"" + key + "\" gave up: the key was created and removed by others "
                        + UPDATE_ATTEMPTS + " times while it looked absent",
                null,
                true,
                null);
    }

    @Override
    public Optional<byte[]> getAndDelete(String key) {
        HashedKey k = front.hashedKey(key);
        Instant expiryNow = front.expiryNow(front.now());
        StoredRow previous = executor.statement("getAndDelete", c -> sql.getAndDelete(c, k, expiryNow));
        Optional<byte[]> value = live(k, previous, expiryNow).map(StoredRow::value);
        if (value.isPresent()) {
            counters.deleted();
        }
        return value;
    }

    // Locks, one statement each.

    @Override
    public Optional<Lease> tryLock(String name, String owner, Duration lease) {
        return lock(name, LockAction.ACQUIRE, LockValue.owner(owner), 0, front.ttl(lease), "tryLock");
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration duration) {
        OperationFront.notNull(lease, "lease");
        return lock(lease.name(), LockAction.RENEW, lease.owner(), lease.token(), front.ttl(duration), "renew");
    }

    @Override
    public boolean unlock(Lease lease) {
        OperationFront.notNull(lease, "lease");
        HashedKey k = front.hashedKey(lease.name());
        Instant now = front.now();
        Instant expiryNow = front.expiryNow(now);
        Locked locked = executor.statement(
                "unlock", c -> sql.lock(c, k, LockAction.RELEASE, lease.owner(), lease.token(), null, now, expiryNow));
        live(k, locked.previous(), expiryNow);
        if (locked.released()) {
            counters.deleted();
        }
        return locked.released();
    }

    private Optional<Lease> lock(
            String name, LockAction action, String owner, long token, Duration lease, String operation) {
        HashedKey k = front.hashedKey(name);
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Instant now = front.now();
            Instant expiryNow = front.expiryNow(now);
            Instant expiresAt = front.expiresAt(now, lease);
            Locked locked =
                    executor.statement(operation, c -> sql.lock(c, k, action, owner, token, expiresAt, now, expiryNow));
            if (locked.previous() != null || locked.value() != null || action != LockAction.ACQUIRE) {
                live(k, locked.previous(), expiryNow);
                if (locked.value() == null) {
                    return Optional.empty();
                }
                counters.set();
                LockValue held = LockValue.parse(locked.value());
                return Optional.of(new Lease(name, owner, held.token(), lease));
            }
        }
        throw gaveUp(name, operation);
    }

    // Read-modify-write.

    @Override
    protected Optional<byte[]> readModifyWrite(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        HashedKey k = front.hashedKey(key);
        if (ttl != null) {
            front.expiresAt(front.now(), ttl);
        }
        OperationFront.notNull(fn, "fn");
        return executor.transaction("update", c -> {
            for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
                Optional<Optional<byte[]>> result = tryReadModifyWrite(c, k, ttl, fn);
                if (result.isPresent()) {
                    return result.get();
                }
            }
            throw gaveUp(key, "update");
        });
    }

    /** One attempt; empty when another writer created the absent key first and the caller must look again. */
    private Optional<Optional<byte[]>> tryReadModifyWrite(
            Connection c, HashedKey k, Duration ttl, UnaryOperator<byte[]> fn) throws SQLException {
        StoredRow row = sql.selectEntryForUpdate(c, k.hash());
        Instant now = front.now();
        StoredRow live = live(k, row, front.expiryNow(now)).orElse(null);
        byte[] next = fn.apply(live == null ? null : live.value().clone());
        if (next == null) {
            if (row != null) {
                sql.deleteRow(c, k.hash());
            }
            if (live != null) {
                counters.deleted();
            }
            return Optional.of(Optional.empty());
        }
        WrittenExpiry expiry = ttl != null
                ? front.written(now, ttl)
                : live == null ? front.written(now, (Expiry) null) : live.writtenExpiry();
        NewRow written = new NewRow(k, column(next), expiry);
        if (row != null) {
            sql.rewrite(c, written, live == null ? now : live.createdAt(), now, live == null ? 1 : live.version() + 1);
        } else if (!sql.insertNew(c, written, now)) {
            return Optional.empty();
        }
        counters.set();
        return Optional.of(Optional.of(next));
    }

    // Scans.

    @Override
    public List<String> keys(String prefix) {
        return keys(front.prefixScan(prefix));
    }

    @Override
    public List<String> keys(ScanOptions options) {
        Scan scan = scan(options, Projection.KEYS);
        return executor.statement("keys", scan::keys);
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        Scan scan = scan(options, Projection.ENTRIES);
        return executor.statement("scan", scan::entries).stream()
                .map(StoredRow::toEntry)
                .toList();
    }

    @Override
    public long count(ScanOptions options) {
        Scan scan = scan(options, Projection.COUNT);
        return executor.statement("count", scan::count);
    }

    @Override
    public long delete(ScanOptions options) {
        Scan scan = scan(options, Projection.DELETE);
        long deleted = executor.statement("delete", scan::count);
        counters.deleted(deleted);
        return deleted;
    }

    private Scan scan(ScanOptions options, Projection projection) {
        return sql.scan(front.scan(options, projection.paged()), projection, front.expiryNow(front.now()));
    }

    // Batches.

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        return batches.getMany(keys);
    }

    @Override
    protected void writeMany(Map<String, byte[]> entries, Duration ttl) {
        batches.setMany(entries, ttl);
    }

    @Override
    public List<Long> apply(List<Mutation> mutations) {
        return batches.apply(mutations);
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return batches.deleteMany(keys);
    }

    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        OperationFront.notNull(work, "work");
        return executor.unitOfWork("inTransaction", bound -> work.apply(new PostgresKvStore(this, bound)));
    }

    // Whole store.

    @Override
    public long cleanupExpired() {
        if (resetCheck != null) {
            resetCheck.check(executor);
        }
        long total = 0;
        int deleted;
        do {
            Instant expiryNow = front.expiryNow(front.now());
            deleted = executor.statement(
                    "cleanupExpired", c -> sql.deleteExpiredBatch(c, expiryNow, config.cleanupBatchSize()));
            total += deleted;
        } while (deleted == config.cleanupBatchSize() && pausedBetweenBatches());
        counters.expired(total);
        return total;
    }

    /** Waits {@link KvConfig#cleanupPause()}; false if interrupted, which ends the cleanup. */
    private boolean pausedBetweenBatches() {
        if (config.cleanupPause().isZero()) {
            return true;
        }
        try {
            Thread.sleep(config.cleanupPause().toMillis(), config.cleanupPause().toNanosPart() % 1_000_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public KvStats stats() {
        Instant expiryNow = front.expiryNow(front.now());
        TableSize size = executor.statement("stats", c -> sql.size(c, expiryNow));
        return counters.stats(size.entries(), size.valueBytes());
    }

    /** The stream the migrations' trigger fills; reads run in the store's transactions like every operation. */
    @Override
    public ChangeStream changes() {
        return changes != null ? changes : super.changes();
    }

    /** Whether the table has the stream objects the configuration asks for; run once when the store opens. */
    /** Reports, once, that PostgreSQL emptied this UNLOGGED table since it was last looked at (see {@link UnloggedResetCheck}). */
    void checkForReset() {
        if (resetCheck != null) {
            resetCheck.check(executor);
        }
    }

    void checkChangeStream() {
        if (!executor.statement("open", sql::hasChangeStream)) {
            throw new KvException("the change stream of " + config.schema() + "." + config.table()
                    + " is on, but the table has no " + config.table() + "_stream, " + config.table()
                    + "_consumer or trigger kv_change_stream: run the migrations with changeStream(true)");
        }
    }

    @Override
    public KvConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (cleanup != null) {
            cleanup.close();
        }
        executor.close();
    }

    @Override
    public String toString() {
        return "PostgresKvStore[" + config + "]";
    }
}

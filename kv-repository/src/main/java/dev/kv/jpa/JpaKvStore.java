package dev.kv.jpa;

import dev.kv.ChangeStream;
import dev.kv.CleanupStrategy;
import dev.kv.Entry;
import dev.kv.KeyCollisionException;
import dev.kv.KvConfig;
import dev.kv.KvDatabaseException;
import dev.kv.KvException;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import dev.kv.VersionConflictException;
import dev.kv.jpa.ScanStatement.Projection;
import jakarta.persistence.PersistenceException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The PostgreSQL store. Single-key operations are one statement each; {@code update} is one
 * transaction holding the row lock. Times come from the configured clock, in microseconds like
 * PostgreSQL's. Expiry is judged at {@link CleanupStrategy#expiryNow}, a separate parameter of
 * every statement from the time written into rows.
 */
final class JpaKvStore implements KvStore {

    /** How often update() looks again after another writer created the key it found absent. */
    private static final int UPDATE_ATTEMPTS = 16;

    private final KvConfig config;
    private final PostgresStatements sql;
    private final ValueColumn valueColumn;
    private final Transactions transactions;
    private final ScheduledCleanup cleanup;
    private final StoreCounters counters;
    private final PostgresChangeStream changes;

    /** The store of one {@link #inTransaction} unit: the same table, on the unit's connection. */
    private JpaKvStore(JpaKvStore parent, Transactions bound) {
        this.config = parent.config;
        this.sql = parent.sql;
        this.valueColumn = parent.valueColumn;
        this.transactions = bound;
        this.cleanup = null;
        this.counters = parent.counters;
        this.changes = config.changeStream() ? new PostgresChangeStream(this, sql, valueColumn) : null;
    }

    /** A store that runs on {@code transactions}; with {@code scheduleCleanup}, it cleans up on the configured interval. */
    JpaKvStore(KvConfig config, Transactions transactions, boolean scheduleCleanup) {
        this.config = config;
        this.sql = new PostgresStatements(config);
        this.valueColumn = ValueColumn.of(config.format());
        this.transactions = transactions;
        this.counters = new StoreCounters();
        this.changes = config.changeStream() ? new PostgresChangeStream(this, sql, valueColumn) : null;
        this.cleanup = scheduleCleanup && config.cleanupStrategy() != CleanupStrategy.DISABLED
                ? config.cleanupInterval()
                        .map(interval -> new ScheduledCleanup(this, interval))
                        .orElse(null)
                : null;
    }

    private record Key(String text, long hash) {}

    private Key key(String key) {
        config.limits().checkKey(key);
        return new Key(key, config.keyHasher().hash(key.getBytes(StandardCharsets.UTF_8)));
    }

    private Object column(byte[] value) {
        return valueColumn.toColumn(config.limits().checkValue(value));
    }

    private Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The instant expiry is judged at when the clock reads {@code now}. */
    private Instant expiryNow(Instant now) {
        return config.cleanupStrategy().expiryNow(now);
    }

    /** For the methods taking a TTL, whose private implementations read {@code null} as "no expiry". */
    private Duration requireTtl(Duration ttl) {
        return config.limits().checkTtl(ttl);
    }

    private Instant expiry(Instant now, Duration ttl) {
        return config.limits().expiresAt(now, ttl);
    }

    @Override
    public Optional<byte[]> get(String key) {
        Key k = key(key);
        Optional<byte[]> value = liveHead(k, sql.selectValue, "get", now()).map(StoredRow::value);
        counters.read(value.isPresent());
        return value;
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        Key k = key(key);
        Instant now = now();
        StoredRow row = statement("getEntry", c -> selectRow(c, sql.selectEntry, k));
        Optional<Entry> entry = met(k, row, now, "getEntry").map(StoredRow::toEntry);
        counters.read(entry.isPresent());
        return entry;
    }

    @Override
    public boolean exists(String key) {
        Key k = key(key);
        return liveHead(k, sql.selectExpiry, "exists", now()).isPresent();
    }

    @Override
    public Ttl ttl(String key) {
        Key k = key(key);
        Instant now = now();
        return liveHead(k, sql.selectExpiry, "ttl", now)
                .map(row -> row.expiresAt() == null ? Ttl.persistent() : Ttl.between(now, row.expiresAt()))
                .orElse(Ttl.absent());
    }

    /** The key, value (for {@code selectValue}) and expiry of a live row of this key. */
    private Optional<StoredRow> liveHead(Key k, String select, String operation, Instant now) {
        StoredRow row = statement(operation, c -> {
            try (PreparedStatement statement = c.prepareStatement(select)) {
                statement.setLong(1, k.hash());
                try (ResultSet result = statement.executeQuery()) {
                    return result.next() ? StoredRow.readHead(result, valueColumn) : null;
                }
            }
        });
        return met(k, row, now, operation);
    }

    /**
     * The live row of this key among what a point read met; under {@link CleanupStrategy#ON_READ} an
     * expired row is deleted first, by a second statement.
     */
    private Optional<StoredRow> met(Key k, StoredRow row, Instant now, String operation) {
        Instant expiryNow = expiryNow(now);
        if (config.cleanupStrategy() == CleanupStrategy.ON_READ && row != null && !row.isLiveAt(expiryNow)) {
            deleteExpired(operation, sql.deleteExpiredRow, (c, statement) -> {
                statement.setLong(1, k.hash());
                statement.setString(2, row.key());
                setInstant(statement, 3, now);
            });
        }
        return live(k, row, expiryNow);
    }

    private interface Binder {
        void bind(Connection connection, PreparedStatement statement) throws SQLException;
    }

    /** Runs an ON_READ delete of expired rows; counts what it removed as expirations. */
    private void deleteExpired(String operation, String delete, Binder parameters) {
        int deleted = statement(operation, c -> {
            try (PreparedStatement statement = c.prepareStatement(delete)) {
                parameters.bind(c, statement);
                return statement.executeUpdate();
            }
        });
        counters.expirations.add(deleted);
    }

    /** The row if it is live and this key's; a live row of another key is a collision. */
    private static Optional<StoredRow> live(Key k, StoredRow row, Instant now) {
        if (row == null || !row.isLiveAt(now)) {
            return Optional.empty();
        }
        if (!row.key().equals(k.text())) {
            throw new KeyCollisionException(k.text(), row.key(), k.hash());
        }
        return Optional.of(row);
    }

    private StoredRow selectRow(Connection connection, String statement, Key k) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(statement)) {
            select.setLong(1, k.hash());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? StoredRow.read(row, valueColumn) : null;
            }
        }
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
        Key k = key(key);
        Object column = column(value);
        Instant now = now();
        Instant expiresAt = ttl == null ? null : expiry(now, ttl);
        statement("set", c -> {
            try (PreparedStatement upsert = c.prepareStatement(sql.upsert)) {
                bindNewRow(upsert, 1, k, column, expiresAt, now);
                bindExpiryNow(upsert, 7, 3, now);
                if (upsert.executeUpdate() == 0) {
                    throw collision(c, k);
                }
                return null;
            }
        });
        counters.sets.increment();
    }

    /** Binds key_hash, key, value, expires_at, created_at, updated_at from {@code index} on. */
    private void bindNewRow(
            PreparedStatement statement, int index, Key k, Object column, Instant expiresAt, Instant now)
            throws SQLException {
        statement.setLong(index, k.hash());
        statement.setString(index + 1, k.text());
        valueColumn.bind(statement, index + 2, column);
        setInstant(statement, index + 3, expiresAt);
        setInstant(statement, index + 4, now);
        setInstant(statement, index + 5, now);
    }

    /** Binds the instant expiry is judged at to {@code count} parameters from {@code index} on. */
    private void bindExpiryNow(PreparedStatement statement, int index, int count, Instant now) throws SQLException {
        for (int i = 0; i < count; i++) {
            setInstant(statement, index + i, expiryNow(now));
        }
    }

    private KeyCollisionException collision(Connection connection, Key k) throws SQLException {
        StoredRow occupant = selectRow(connection, sql.selectEntry, k);
        return new KeyCollisionException(k.text(), occupant == null ? "(deleted meanwhile)" : occupant.key(), k.hash());
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
        boolean written =
                insertIfAbsent(key(key), column(value), ttl, "setIfAbsent").written();
        if (written) {
            counters.sets.increment();
        }
        return written;
    }

    /** What the insert-if-absent statement found and did. */
    private record Insertion(Long writtenVersion, long previousVersion) {
        boolean written() {
            return writtenVersion != null;
        }
    }

    private Insertion insertIfAbsent(Key k, Object column, Duration ttl, String operation) {
        Instant now = now();
        Instant expiresAt = ttl == null ? null : expiry(now, ttl);
        return statement(operation, c -> {
            try (PreparedStatement insert = c.prepareStatement(sql.insertIfAbsent)) {
                insert.setLong(1, k.hash());
                bindNewRow(insert, 2, k, column, expiresAt, now);
                bindExpiryNow(insert, 8, 1, now);
                try (ResultSet result = insert.executeQuery()) {
                    result.next();
                    long written = result.getLong(1);
                    boolean wasWritten = !result.wasNull();
                    String previousKey = result.getString(2);
                    long previousVersion = result.getLong(3);
                    if (!wasWritten && previousKey != null && !previousKey.equals(k.text())) {
                        throw new KeyCollisionException(k.text(), previousKey, k.hash());
                    }
                    return new Insertion(wasWritten ? written : null, previousVersion);
                }
            }
        });
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        Key k = key(key);
        Object column = column(value);
        if (expectedVersion < ABSENT) {
            throw new KvValidationException("expectedVersion must not be negative, but was " + expectedVersion);
        }
        if (expectedVersion == ABSENT) {
            Insertion insertion = insertIfAbsent(k, column, null, "setIfVersion");
            if (!insertion.written()) {
                throw new VersionConflictException(key, ABSENT, insertion.previousVersion());
            }
            counters.sets.increment();
            return insertion.writtenVersion();
        }
        Instant now = now();
        return statement("setIfVersion", c -> {
            try (PreparedStatement update = c.prepareStatement(sql.setIfVersion)) {
                valueColumn.bind(update, 1, column);
                setInstant(update, 2, now);
                update.setLong(3, k.hash());
                update.setString(4, k.text());
                update.setLong(5, expectedVersion);
                setInstant(update, 6, expiryNow(now));
                try (ResultSet written = update.executeQuery()) {
                    if (written.next()) {
                        counters.sets.increment();
                        return written.getLong(1);
                    }
                }
                throw conflict(c, k, expectedVersion, now);
            }
        });
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        Key k = key(key);
        if (expectedVersion <= ABSENT) {
            throw new KvValidationException("expectedVersion must be positive, but was " + expectedVersion);
        }
        Instant now = now();
        statement("deleteIfVersion", c -> {
            try (PreparedStatement delete = c.prepareStatement(sql.deleteIfVersion)) {
                delete.setLong(1, k.hash());
                delete.setString(2, k.text());
                delete.setLong(3, expectedVersion);
                setInstant(delete, 4, expiryNow(now));
                if (delete.executeUpdate() == 0) {
                    throw conflict(c, k, expectedVersion, now);
                }
                counters.deletes.increment();
                return null;
            }
        });
    }

    /** Why a version-checked write matched no row: another version, an absent key, or a collision. */
    private KvException conflict(Connection c, Key k, long expectedVersion, Instant now) throws SQLException {
        long actual = live(k, selectRow(c, sql.selectEntry, k), expiryNow(now))
                .map(StoredRow::version)
                .orElse(ABSENT);
        return new VersionConflictException(k.text(), expectedVersion, actual);
    }

    @Override
    public boolean delete(String key) {
        Key k = key(key);
        Instant now = now();
        return countedDelete(statement("delete", c -> {
            try (PreparedStatement delete = c.prepareStatement(sql.delete)) {
                delete.setLong(1, k.hash());
                delete.setString(2, k.text());
                try (ResultSet deleted = delete.executeQuery()) {
                    if (!deleted.next()) {
                        return false;
                    }
                    Instant expiresAt = StoredRow.instant(deleted, 1);
                    return expiresAt == null || expiresAt.isAfter(expiryNow(now));
                }
            }
        }));
    }

    private boolean countedDelete(boolean removedLive) {
        if (removedLive) {
            counters.deletes.increment();
        }
        return removedLive;
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        Key k = key(key);
        Instant now = now();
        Instant expiresAt = expiry(now, ttl);
        return statement("expire", c -> {
            try (PreparedStatement expire = c.prepareStatement(sql.expire)) {
                setInstant(expire, 1, expiresAt);
                setInstant(expire, 2, now);
                expire.setLong(3, k.hash());
                expire.setString(4, k.text());
                setInstant(expire, 5, expiryNow(now));
                return expire.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean persist(String key) {
        Key k = key(key);
        Instant now = now();
        return statement("persist", c -> {
            try (PreparedStatement persist = c.prepareStatement(sql.persist)) {
                setInstant(persist, 1, now);
                persist.setLong(2, k.hash());
                persist.setString(3, k.text());
                setInstant(persist, 4, expiryNow(now));
                return persist.executeUpdate() == 1;
            }
        });
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
        Key k = key(key);
        if (ttl != null) {
            expiry(now(), ttl);
        }
        if (fn == null) {
            throw new KvValidationException("fn must not be null");
        }
        return transaction("update", c -> {
            for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
                Optional<Optional<byte[]>> result = tryReadModifyWrite(c, k, ttl, fn);
                if (result.isPresent()) {
                    return result.get();
                }
            }
            throw new KvDatabaseException(
                    "kv update of \"" + key + "\" gave up: the key was created and removed by others " + UPDATE_ATTEMPTS
                            + " times while it looked absent",
                    null,
                    true,
                    null);
        });
    }

    /** One attempt; empty when another writer created the absent key first and the caller must look again. */
    private Optional<Optional<byte[]>> tryReadModifyWrite(Connection c, Key k, Duration ttl, UnaryOperator<byte[]> fn)
            throws SQLException {
        StoredRow row = selectRow(c, sql.selectEntryForUpdate, k);
        Instant now = now();
        StoredRow live = live(k, row, expiryNow(now)).orElse(null);
        byte[] next = fn.apply(live == null ? null : live.value().clone());
        if (next == null) {
            if (row != null) {
                try (PreparedStatement delete = c.prepareStatement(sql.deleteByHash)) {
                    delete.setLong(1, k.hash());
                    delete.executeUpdate();
                }
            }
            if (live != null) {
                counters.deletes.increment();
            }
            return Optional.of(Optional.empty());
        }
        Object column = column(next);
        Instant expiresAt = ttl != null ? expiry(now, ttl) : live == null ? null : live.expiresAt();
        if (row != null) {
            try (PreparedStatement rewrite = c.prepareStatement(sql.rewrite)) {
                rewrite.setString(1, k.text());
                valueColumn.bind(rewrite, 2, column);
                setInstant(rewrite, 3, expiresAt);
                setInstant(rewrite, 4, live == null ? now : live.createdAt());
                setInstant(rewrite, 5, now);
                rewrite.setLong(6, live == null ? 1 : live.version() + 1);
                rewrite.setLong(7, k.hash());
                rewrite.executeUpdate();
            }
            counters.sets.increment();
            return Optional.of(Optional.of(next));
        }
        try (PreparedStatement insert = c.prepareStatement(sql.insertNew)) {
            bindNewRow(insert, 1, k, column, expiresAt, now);
            insert.setLong(7, 1);
            if (insert.executeUpdate() == 0) {
                return Optional.empty();
            }
            counters.sets.increment();
            return Optional.of(Optional.of(next));
        }
    }

    @Override
    public List<String> keys(String prefix) {
        config.limits().checkPrefix(prefix);
        return keys(ScanOptions.prefix(prefix));
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return scan(options, Projection.KEYS, "keys", rows -> rows.getString(1));
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return scan(options, Projection.ENTRIES, "scan", rows -> StoredRow.read(rows, valueColumn)
                .toEntry());
    }

    @Override
    public long count(ScanOptions options) {
        return scan(options, Projection.COUNT, "count", rows -> rows.getLong(1)).get(0);
    }

    @Override
    public long delete(ScanOptions options) {
        long deleted = scan(options, Projection.DELETE, "delete", rows -> rows.getLong(1))
                .get(0);
        counters.deletes.add(deleted);
        return deleted;
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> List<T> scan(ScanOptions options, Projection projection, String operation, RowReader<T> reader) {
        ScanStatement scan = ScanStatement.of(sql.table, options, projection, config.limits(), expiryNow(now()));
        return statement(operation, c -> {
            try (PreparedStatement select = c.prepareStatement(scan.sql())) {
                scan.bind(select);
                List<T> results = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        results.add(reader.read(rows));
                    }
                }
                return results;
            }
        });
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        List<Key> batch = distinctKeys(keys);
        Instant now = now();
        Map<Long, StoredRow> rows = statement("getMany", c -> {
            try (PreparedStatement select = c.prepareStatement(sql.selectEntries)) {
                select.setArray(
                        1,
                        c.createArrayOf("bigint", batch.stream().map(Key::hash).toArray()));
                Map<Long, StoredRow> found = new HashMap<>();
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        found.put(result.getLong(7), StoredRow.read(result, valueColumn));
                    }
                }
                return found;
            }
        });
        Instant expiryNow = expiryNow(now);
        if (config.cleanupStrategy() == CleanupStrategy.ON_READ) {
            Long[] expired = rows.entrySet().stream()
                    .filter(row -> !row.getValue().isLiveAt(expiryNow))
                    .map(Map.Entry::getKey)
                    .toArray(Long[]::new);
            if (expired.length > 0) {
                deleteExpired("getMany", sql.deleteExpiredRows, (c, delete) -> {
                    delete.setArray(1, c.createArrayOf("bigint", expired));
                    setInstant(delete, 2, now);
                });
            }
        }
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (Key k : batch) {
            Optional<StoredRow> row = live(k, rows.get(k.hash()), expiryNow);
            counters.read(row.isPresent());
            row.ifPresent(found -> values.put(k.text(), found.value()));
        }
        return values;
    }

    /** The checked keys of a batch, each once, in the caller's order; two of them with one hash are a collision. */
    private List<Key> distinctKeys(Collection<String> keys) {
        if (keys == null) {
            throw new KvValidationException("keys must not be null");
        }
        Map<Long, Key> byHash = new LinkedHashMap<>();
        for (String text : keys) {
            Key k = key(text);
            Key other = byHash.putIfAbsent(k.hash(), k);
            if (other != null && !other.text().equals(k.text())) {
                throw new KeyCollisionException(k.text(), other.text(), k.hash());
            }
        }
        return List.copyOf(byHash.values());
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        writeMany(entries, null);
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        writeMany(entries, requireTtl(ttl));
    }

    private void writeMany(Map<String, byte[]> entries, Duration ttl) {
        if (entries == null) {
            throw new KvValidationException("entries must not be null");
        }
        List<Key> batch = distinctKeys(entries.keySet());
        List<Put> puts = new ArrayList<>();
        for (Key k : batch) {
            puts.add(new Put(k, column(entries.get(k.text())), ttl));
        }
        if (puts.isEmpty()) {
            return;
        }
        Instant now = now();
        transaction("setMany", c -> {
            upsertAll(c, puts, now);
            return null;
        });
        counters.sets.add(puts.size());
    }

    /** A checked put of a batch. */
    private record Put(Key key, Object column, Duration ttl) {}

    /** Writes {@code puts} with one statement, locking rows in key_hash order; a collision fails them all. */
    private void upsertAll(Connection c, List<Put> puts, Instant now) throws SQLException {
        List<Put> ordered = puts.stream()
                .sorted(Comparator.comparingLong(put -> put.key().hash()))
                .toList();
        Long[] expiries = new Long[ordered.size()];
        for (int i = 0; i < expiries.length; i++) {
            Duration ttl = ordered.get(i).ttl();
            expiries[i] = ttl == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, expiry(now, ttl));
        }
        try (PreparedStatement upsert = c.prepareStatement(sql.upsertMany)) {
            setInstant(upsert, 1, now);
            setInstant(upsert, 2, now);
            upsert.setArray(
                    3,
                    c.createArrayOf(
                            "bigint",
                            ordered.stream().map(put -> put.key().hash()).toArray()));
            upsert.setArray(
                    4,
                    c.createArrayOf(
                            "text",
                            ordered.stream().map(put -> put.key().text()).toArray()));
            upsert.setArray(
                    5, valueColumn.array(c, ordered.stream().map(Put::column).toArray()));
            upsert.setArray(6, c.createArrayOf("bigint", expiries));
            bindExpiryNow(upsert, 7, 3, now);
            if (upsert.executeUpdate() < ordered.size()) {
                throw collisionIn(c, ordered.stream().map(Put::key).toList(), expiryNow(now));
            }
        }
    }

    @Override
    public List<Boolean> apply(List<Mutation> mutations) {
        if (mutations == null) {
            throw new KvValidationException("mutations must not be null");
        }
        List<Key> keys = new ArrayList<>();
        List<Put> changes = new ArrayList<>();
        for (Mutation mutation : mutations) {
            if (mutation == null) {
                throw new KvValidationException("mutations must not contain null");
            }
            Key k = key(mutation.key());
            keys.add(k);
            Duration ttl = mutation.ttl().map(this::requireTtl).orElse(null);
            if (ttl != null) {
                expiry(now(), ttl);
            }
            changes.add(new Put(k, mutation.value().map(this::column).orElse(null), ttl));
        }
        List<Key> distinct = distinctKeys(keys.stream().map(Key::text).toList());
        if (distinct.isEmpty()) {
            return List.of();
        }
        Instant now = now();
        return transaction("apply", c -> {
            Map<String, Boolean> live = lockAll(c, distinct, expiryNow(now));
            List<Boolean> results = new ArrayList<>();
            Map<String, Put> last = new LinkedHashMap<>();
            for (Put change : changes) {
                boolean removed =
                        change.column() == null && live.get(change.key().text());
                results.add(change.column() != null || removed);
                live.put(change.key().text(), change.column() != null);
                last.put(change.key().text(), change);
            }
            List<Put> puts = last.values().stream()
                    .filter(change -> change.column() != null)
                    .toList();
            List<Key> deletes = last.values().stream()
                    .filter(change -> change.column() == null)
                    .map(Put::key)
                    .sorted(Comparator.comparingLong(Key::hash))
                    .toList();
            if (!puts.isEmpty()) {
                upsertAll(c, puts, now);
            }
            if (!deletes.isEmpty()) {
                try (PreparedStatement delete = c.prepareStatement(sql.deleteMany)) {
                    delete.setArray(
                            1,
                            c.createArrayOf(
                                    "bigint", deletes.stream().map(Key::hash).toArray()));
                    delete.setArray(
                            2,
                            c.createArrayOf(
                                    "text", deletes.stream().map(Key::text).toArray()));
                    delete.executeQuery().close();
                }
            }
            for (int i = 0; i < changes.size(); i++) {
                (changes.get(i).column() != null ? counters.sets : counters.deletes).add(results.get(i) ? 1 : 0);
            }
            return List.copyOf(results);
        });
    }

    /** Locks the rows of {@code keys} in key_hash order; tells per key whether it holds a live entry. */
    private Map<String, Boolean> lockAll(Connection c, List<Key> keys, Instant now) throws SQLException {
        Map<String, Boolean> live = new HashMap<>();
        Map<Long, Key> byHash = new HashMap<>();
        keys.forEach(k -> {
            live.put(k.text(), false);
            byHash.put(k.hash(), k);
        });
        try (PreparedStatement lock = c.prepareStatement(sql.lockMany)) {
            lock.setArray(
                    1, c.createArrayOf("bigint", keys.stream().map(Key::hash).toArray()));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    Key k = byHash.get(rows.getLong(1));
                    String stored = rows.getString(2);
                    Instant expiresAt = StoredRow.instant(rows, 3);
                    boolean isLive = expiresAt == null || expiresAt.isAfter(now);
                    if (isLive && !stored.equals(k.text())) {
                        throw new KeyCollisionException(k.text(), stored, k.hash());
                    }
                    live.put(k.text(), isLive);
                }
            }
        }
        return live;
    }

    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        if (work == null) {
            throw new KvValidationException("work must not be null");
        }
        try {
            return transactions.unitOfWork(bound -> work.apply(new JpaKvStore(this, bound)));
        } catch (PersistenceException e) {
            throw DatabaseErrors.translate("inTransaction", e);
        }
    }

    private KeyCollisionException collisionIn(Connection c, List<Key> batch, Instant now) throws SQLException {
        for (Key k : batch) {
            StoredRow row = selectRow(c, sql.selectEntry, k);
            if (row != null && row.isLiveAt(now) && !row.key().equals(k.text())) {
                return new KeyCollisionException(k.text(), row.key(), k.hash());
            }
        }
        return new KeyCollisionException(
                batch.get(0).text(), "(changed meanwhile)", batch.get(0).hash());
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        List<Key> batch = distinctKeys(keys).stream()
                .sorted(Comparator.comparingLong(Key::hash))
                .toList();
        Instant now = now();
        return statement("deleteMany", c -> {
            try (PreparedStatement delete = c.prepareStatement(sql.deleteMany)) {
                delete.setArray(
                        1,
                        c.createArrayOf("bigint", batch.stream().map(Key::hash).toArray()));
                delete.setArray(
                        2, c.createArrayOf("text", batch.stream().map(Key::text).toArray()));
                long live = 0;
                try (ResultSet deleted = delete.executeQuery()) {
                    while (deleted.next()) {
                        Instant expiresAt = StoredRow.instant(deleted, 1);
                        live += expiresAt == null || expiresAt.isAfter(expiryNow(now)) ? 1 : 0;
                    }
                }
                counters.deletes.add(live);
                return live;
            }
        });
    }

    @Override
    public long increment(String key, long delta) {
        Key k = key(key);
        Object initial = valueColumn.toColumn(Long.toString(delta).getBytes(StandardCharsets.US_ASCII));
        Instant now = now();
        try {
            return statement("increment", c -> {
                try (PreparedStatement increment = c.prepareStatement(sql.increment)) {
                    increment.setLong(1, k.hash());
                    increment.setString(2, k.text());
                    valueColumn.bind(increment, 3, initial);
                    setInstant(increment, 4, now);
                    setInstant(increment, 5, now);
                    bindExpiryNow(increment, 6, 1, now);
                    increment.setLong(7, delta);
                    bindExpiryNow(increment, 8, 4, now);
                    try (ResultSet written = increment.executeQuery()) {
                        if (!written.next()) {
                            throw collision(c, k);
                        }
                        counters.sets.increment();
                        return Long.parseLong(new String(valueColumn.read(written, 1), StandardCharsets.US_ASCII));
                    }
                }
            });
        } catch (KvDatabaseException e) {
            throw CounterErrors.translate(k.text(), delta, e);
        }
    }

    @Override
    public long cleanupExpired() {
        long total = 0;
        int deleted;
        do {
            Instant now = now();
            deleted = statement("cleanupExpired", c -> {
                try (PreparedStatement delete = c.prepareStatement(sql.deleteExpiredBatch)) {
                    setInstant(delete, 1, expiryNow(now));
                    delete.setInt(2, config.cleanupBatchSize());
                    return delete.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == config.cleanupBatchSize() && pausedBetweenBatches());
        counters.expirations.add(total);
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
        Instant now = now();
        return statement("stats", c -> {
            try (PreparedStatement select = c.prepareStatement(sql.stats)) {
                setInstant(select, 1, expiryNow(now));
                try (ResultSet size = select.executeQuery()) {
                    size.next();
                    return counters.snapshot(size.getLong(1), size.getLong(2));
                }
            }
        });
    }

    /** The stream the migrations' trigger fills; reads run in the store's transactions like every operation. */
    @Override
    public ChangeStream changes() {
        return changes != null ? changes : KvStore.super.changes();
    }

    /** Whether the table has the stream objects the configuration asks for; run once when the store opens. */
    void checkChangeStream() {
        boolean present = statement("open", c -> {
            try (PreparedStatement check = c.prepareStatement(sql.streamCheck);
                    ResultSet row = check.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        });
        if (!present) {
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
        transactions.close();
    }

    @Override
    public String toString() {
        return "JpaKvStore[" + config + "]";
    }

    /**
     * Binds an instant as ISO-8601 text of no declared type, which the server reads as the {@code
     * timestamptz} the statement's context asks for. pgjdbc's own timestamp binding builds a
     * {@code GregorianCalendar} for every new statement: a tenth of a write's client CPU.
     */
    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.toString(), Types.OTHER);
        }
    }

    <T> T statement(String operation, Transactions.Work<T> work) {
        try {
            return transactions.statement(work);
        } catch (PersistenceException e) {
            throw DatabaseErrors.translate(operation, e);
        }
    }

    private <T> T transaction(String operation, Transactions.Work<T> work) {
        try {
            return transactions.transaction(work);
        } catch (PersistenceException e) {
            throw DatabaseErrors.translate(operation, e);
        }
    }
}

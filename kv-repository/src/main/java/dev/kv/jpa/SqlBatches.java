package dev.kv.jpa;

import dev.kv.CleanupStrategy;
import dev.kv.KeyCollisionException;
import dev.kv.Mutation;
import dev.kv.internal.HashedKey;
import dev.kv.internal.OperationCounters;
import dev.kv.internal.OperationFront;
import dev.kv.jpa.SqlDialect.NewRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The batch operations of a SQL store: each key checked once, every row written, locked or deleted by
 * one statement, and rows always in {@code key_hash} order, so that concurrent batches lock them in
 * one order and cannot deadlock. A collision anywhere in a write fails the whole batch, which runs
 * in one transaction.
 */
final class SqlBatches {

    private static final Comparator<HashedKey> BY_HASH = Comparator.comparingLong(HashedKey::hash);

    private final SqlDialect sql;
    private final SqlExecutor executor;
    private final OperationFront front;
    private final OperationCounters counters;
    private final CleanupStrategy cleanupStrategy;

    SqlBatches(
            SqlDialect sql,
            SqlExecutor executor,
            OperationFront front,
            OperationCounters counters,
            CleanupStrategy cleanupStrategy) {
        this.sql = sql;
        this.executor = executor;
        this.front = front;
        this.counters = counters;
        this.cleanupStrategy = cleanupStrategy;
    }

    /** One read; under {@link CleanupStrategy#ON_READ}, one delete of the expired rows it met. */
    Map<String, byte[]> getMany(Collection<String> keys) {
        List<HashedKey> batch = front.distinctHashedKeys(keys);
        Instant now = front.now();
        long[] hashes = batch.stream().mapToLong(HashedKey::hash).toArray();
        Map<Long, StoredRow> rows = executor.statement("getMany", c -> sql.selectEntries(c, hashes));
        Instant expiryNow = front.expiryNow(now);
        if (cleanupStrategy == CleanupStrategy.ON_READ) {
            long[] expired = rows.entrySet().stream()
                    .filter(row -> !row.getValue().isLiveAt(expiryNow))
                    .mapToLong(Map.Entry::getKey)
                    .toArray();
            if (expired.length > 0) {
                counters.expired(executor.statement("getMany", c -> sql.deleteExpired(c, expired, now)));
            }
        }
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (HashedKey k : batch) {
            Optional<StoredRow> row = PostgresKvStore.live(k, rows.get(k.hash()), expiryNow);
            counters.read(row.isPresent());
            row.ifPresent(found -> values.put(k.text(), found.value()));
        }
        return values;
    }

    /** {@code ttl} checked by the caller; null: none. */
    void setMany(Map<String, byte[]> entries, Duration ttl) {
        OperationFront.notNull(entries, "entries");
        List<Put> puts = new ArrayList<>();
        for (HashedKey k : front.distinctHashedKeys(entries.keySet())) {
            puts.add(new Put(k, sql.toColumn(front.value(entries.get(k.text()))), ttl));
        }
        if (puts.isEmpty()) {
            return;
        }
        Instant now = front.now();
        executor.transaction("setMany", c -> {
            upsertAll(c, puts, now);
            return null;
        });
        counters.sets(puts.size());
    }

    /** A checked put of a batch; a null column deletes the key. */
    private record Put(HashedKey key, Object column, Duration ttl) {}

    /** Writes {@code puts} with one statement, locking rows in key_hash order; a collision fails them all. */
    private void upsertAll(Connection c, List<Put> puts, Instant now) throws SQLException {
        List<NewRow> rows = puts.stream()
                .sorted(Comparator.comparing(Put::key, BY_HASH))
                .map(put -> new NewRow(put.key(), put.column(), front.written(now, put.ttl())))
                .toList();
        Instant expiryNow = front.expiryNow(now);
        if (sql.upsertMany(c, rows, now, expiryNow) < rows.size()) {
            throw collisionIn(c, rows.stream().map(NewRow::key).toList(), expiryNow);
        }
    }

    private KeyCollisionException collisionIn(Connection c, List<HashedKey> batch, Instant expiryNow)
            throws SQLException {
        for (HashedKey k : batch) {
            StoredRow row = sql.selectEntry(c, k.hash());
            if (row != null && row.isLiveAt(expiryNow) && !row.key().equals(k.text())) {
                return new KeyCollisionException(k.text(), row.key(), k.hash());
            }
        }
        return new KeyCollisionException(
                batch.get(0).text(), "(changed meanwhile)", batch.get(0).hash());
    }

    /** Locks every key's row, then writes the puts with one statement and the deletes with another. */
    List<Boolean> apply(List<Mutation> mutations) {
        front.mutations(mutations, front.now());
        List<Put> changes = new ArrayList<>();
        for (Mutation mutation : mutations) {
            changes.add(new Put(
                    front.hashedKey(mutation.key()),
                    mutation.value().map(sql::toColumn).orElse(null),
                    mutation.ttl().orElse(null)));
        }
        List<HashedKey> distinct =
                front.distinctHashedKeys(mutations.stream().map(Mutation::key).toList());
        if (distinct.isEmpty()) {
            return List.of();
        }
        Instant now = front.now();
        return executor.transaction("apply", c -> {
            Map<String, Boolean> live = lockAll(c, distinct, front.expiryNow(now));
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
            List<HashedKey> deletes = last.values().stream()
                    .filter(change -> change.column() == null)
                    .map(Put::key)
                    .sorted(BY_HASH)
                    .toList();
            if (!puts.isEmpty()) {
                upsertAll(c, puts, now);
            }
            if (!deletes.isEmpty()) {
                sql.deleteMany(c, deletes, front.expiryNow(now));
            }
            long written =
                    changes.stream().filter(change -> change.column() != null).count();
            counters.sets(written);
            counters.deleted(results.stream().filter(Boolean::booleanValue).count() - written);
            return List.copyOf(results);
        });
    }

    /** Locks the rows of {@code keys} in key_hash order; tells per key whether it holds a live entry. */
    private Map<String, Boolean> lockAll(Connection c, List<HashedKey> keys, Instant expiryNow) throws SQLException {
        Map<String, Boolean> live = new HashMap<>();
        keys.forEach(k -> live.put(k.text(), false));
        long[] hashes = keys.stream().mapToLong(HashedKey::hash).toArray();
        Map<Long, StoredRow> rows = sql.lockMany(c, hashes);
        for (HashedKey k : keys.stream().sorted(BY_HASH).toList()) {
            StoredRow row = rows.get(k.hash());
            if (row != null) {
                live.put(k.text(), PostgresKvStore.live(k, row, expiryNow).isPresent());
            }
        }
        return live;
    }

    /** One statement; rows deleted in key_hash order. */
    long deleteMany(Collection<String> keys) {
        List<HashedKey> batch =
                front.distinctHashedKeys(keys).stream().sorted(BY_HASH).toList();
        Instant expiryNow = front.expiryNow(front.now());
        long live = executor.statement("deleteMany", c -> sql.deleteMany(c, batch, expiryNow));
        counters.deleted(live);
        return live;
    }
}

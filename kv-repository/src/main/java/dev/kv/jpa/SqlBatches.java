package dev.kv.jpa;

import dev.kv.CleanupStrategy;
import dev.kv.KeyCollisionException;
import dev.kv.Mutation;
import dev.kv.internal.HashedKey;
import dev.kv.internal.OperationCounters;
import dev.kv.internal.OperationFront;
import dev.kv.jpa.SqlDialect.BatchRow;
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
 * one statement. The lock order: every multi-row write — setMany, apply, deleteMany, the deletions by
 * selection ({@link SqlDialect.Scan}) — takes all its row locks in one statement, in ascending {@code
 * key_hash} order, absent keys included (inserted in that order, which makes a concurrent inserter of
 * the key wait as a lock would), before it writes anything else; cleanup and the deletes of {@code
 * ON_READ} skip locked rows and never wait. A transaction that waits for a hash then holds only lower
 * ones, so no cycle of waits — a deadlock — can form. A collision anywhere in a write fails the whole
 * batch, which runs in one transaction.
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

    /** How often apply starts again after a row it was to lock was deleted under it. */
    private static final int APPLY_ATTEMPTS = 16;

    /**
     * Three statements and the commit: the first takes every row of the batch in key_hash order — locks
     * the rows of its keys and selections, inserts its written keys that are absent (as the batch would
     * leave them) — the second reads the rows it holds, and the third rewrites and deletes what the
     * mutations, run over those rows in the client ({@link BatchPlan}), changed. A batch that only creates
     * keys is done after the first; one that writes no key it names (deletes only) locks and reads its rows
     * with one statement. Every lock is taken by the first statement, in the one global order,
     * so batches never deadlock one another nor the other multi-row writes.
     */
    List<Long> apply(List<Mutation> mutations) {
        front.mutations(mutations, front.now());
        if (mutations.isEmpty()) {
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            Instant now = front.now();
            BatchPlan plan = new BatchPlan(mutations, front, sql::toColumn, now, front.expiryNow(now));
            boolean mayStartAgain = attempt < APPLY_ATTEMPTS && executor.ownsTransactions();
            try {
                BatchPlan.Outcome outcome = executor.transaction("apply", c -> applyOnce(c, plan, now, mayStartAgain));
                counters.sets(outcome.sets());
                counters.deleted(outcome.deleted());
                return List.copyOf(outcome.results());
            } catch (RowVanished e) {
                // started again: a new snapshot no longer sees the rows deleted meanwhile
            }
        }
    }

    /**
     * One attempt; where a row to lock was deleted meanwhile, it starts again if {@code mayStartAgain}, else
     * counts the row as absent (in a transaction kv does not end, and on the last attempt, so that a batch
     * always ends).
     */
    private BatchPlan.Outcome applyOnce(Connection c, BatchPlan plan, Instant now, boolean mayStartAgain)
            throws SQLException {
        Instant expiryNow = front.expiryNow(now);
        List<BatchRow> inserts = plan.inserts();
        if (inserts.isEmpty()) {
            Map<Long, StoredRow> held = sql.lockRows(c, plan.lockHashes(inserts), plan.selections(), expiryNow);
            return written(c, plan.over(held, Map.of()), now);
        }
        Map<Long, Boolean> met =
                sql.lockOrInsert(c, inserts, plan.lockHashes(inserts), plan.selections(), now, expiryNow);
        Map<Long, BatchRow> inserted = new HashMap<>();
        for (BatchRow row : inserts) {
            if (Boolean.TRUE.equals(met.get(row.key().hash()))) {
                inserted.put(row.key().hash(), row);
            }
        }
        try {
            long[] vanished = met.entrySet().stream()
                    .filter(hash -> hash.getValue() && !inserted.containsKey(hash.getKey()))
                    .mapToLong(Map.Entry::getKey)
                    .toArray();
            if (vanished.length > 0 && mayStartAgain) {
                throw new RowVanished();
            }
            long[] locked = met.entrySet().stream()
                    .filter(hash -> !hash.getValue())
                    .mapToLong(Map.Entry::getKey)
                    .toArray();
            Map<Long, StoredRow> held = locked.length == 0 ? Map.of() : sql.selectEntries(c, locked);
            // In a transaction kv does not end, starting again would take locks while holding others, and a last
            // attempt must end: the rows deleted meanwhile count as absent, their copies go with the last statement.
            return written(c, plan.over(held, inserted).alsoDeleting(vanished), now);
        } catch (RuntimeException e) {
            if (!executor.ownsTransactions()) {
                // In a transaction kv does not end, nothing rolls back what the first statement inserted.
                long[] insertedHere = met.entrySet().stream()
                        .filter(Map.Entry::getValue)
                        .mapToLong(Map.Entry::getKey)
                        .toArray();
                sql.rewriteAndDelete(c, List.of(), insertedHere, now);
            }
            throw e;
        }
    }

    /** Runs the last statement of a batch, if it changes anything. */
    private BatchPlan.Outcome written(Connection c, BatchPlan.Outcome outcome, Instant now) throws SQLException {
        if (!outcome.rewrites().isEmpty() || outcome.deletes().length > 0) {
            sql.rewriteAndDelete(c, outcome.rewrites(), outcome.deletes(), now);
        }
        return outcome;
    }

    /** A row the first statement of apply was to lock was gone: it inserted a copy, and the batch starts again in a new transaction. */
    private static final class RowVanished extends RuntimeException {
        RowVanished() {
            super(null, null, false, false);
        }
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

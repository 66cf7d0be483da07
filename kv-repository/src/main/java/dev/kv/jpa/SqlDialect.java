package dev.kv.jpa;

import dev.kv.ChangeStream;
import dev.kv.ScanOptions;
import dev.kv.internal.HashedKey;
import dev.kv.internal.OperationFront;
import dev.kv.internal.WrittenExpiry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The statements of one SQL database: the seam between a SQL store ({@link PostgresKvStore}) and
 * the database it runs on. {@link PostgresDialect} is the PostgreSQL implementation; a second
 * database implements this interface and nothing else changes (see docs/dialects.md).
 *
 * <p>Each method is one statement, run on the connection it is given: it holds the statement's
 * text, binds its parameters and reads its rows. It neither takes connections nor begins, commits
 * or translates anything: the store runs it through its {@link SqlExecutor}, which does. A method
 * never judges collisions or counts; it reports what the statement met, and the store decides.
 *
 * <p>The table: one row per {@code key_hash} (the primary key), holding {@code key}, {@code value},
 * {@code expires_at} (null: never), {@code created_at}, {@code updated_at} and {@code version}.
 * Rows are addressed by hash and then compared by key, so a statement never reads, writes or
 * deletes the row of another key that shares the hash. Times are {@code now}, written into rows,
 * and {@code expiryNow}, the instant expiry is judged at (see {@link dev.kv.CleanupStrategy}): a row
 * is live when its {@code expires_at} is null or after {@code expiryNow}. Values are bound as the
 * dialect's {@link #toColumn} made them.
 */
interface SqlDialect {

    /**
     * A row to write: a key, its value as {@link #toColumn} made it, its expiry (null: none) and, for an
     * idle entry, its idle period in microseconds (null: none).
     */
    record NewRow(HashedKey key, Object column, Instant expiresAt, Long idleMicros) {

        NewRow(HashedKey key, Object column, WrittenExpiry expiry) {
            this(
                    key,
                    column,
                    expiry.expires() ? OperationFront.instant(expiry.expiresMicros()) : null,
                    expiry.idle() ? expiry.idleMicros() : null);
        }
    }

    /** What {@link #insertIfAbsent} did, and the key and version of the row that was there before (if any). */
    record Insertion(Long writtenVersion, String previousKey, long previousVersion) {
        boolean written() {
            return writtenVersion != null;
        }
    }

    /** Which row a {@link #swap} replaces. */
    enum SwapCondition {
        /** The live row of this key, or none: {@code getAndSet}. */
        ANY,
        /** Only none: a compare-and-swap expecting absence. */
        ABSENT,
        /** Only the live row of this key holding the expected value: a compare-and-swap. */
        VALUE
    }

    /**
     * What {@link #swap} met at the hash — key, expiry and, where the store needs it, value
     * ({@link StoredRow#readHead}); null if no row — and whether it wrote.
     */
    record Swapped(StoredRow previous, boolean written) {}

    /** What a {@link #lock} statement does. */
    enum LockAction {
        /** Take the lock if it is free, or renew it (keeping its token) if the owner holds it. */
        ACQUIRE,
        /** Renew the lock if the owner holds it with the token. */
        RENEW,
        /** Delete the lock if the owner holds it with the token. */
        RELEASE
    }

    /**
     * What {@link #lock} met at the hash (key and expiry; null if no row) and what it left: the lock's value
     * after a take or renewal (null if none), or whether a release deleted it.
     */
    record Locked(StoredRow previous, byte[] value, boolean released) {}

    /** The live entries of a table and the bytes of their values. */
    record TableSize(long entries, long valueBytes) {}

    /** What a scan reads or does with the rows it selects. */
    enum Projection {
        KEYS,
        ENTRIES,
        COUNT,
        DELETE;

        /** Whether the scan honours a page (cursor, offset, limit); count takes every row. */
        boolean paged() {
            return this != COUNT;
        }
    }

    /**
     * One scan, checked and built before it runs: the live rows in a key range ({@link ScanOptions}:
     * prefix, range, glob, cursor), in key order compared by UTF-16 code unit ({@link dev.kv.KeyOrder}),
     * paged by limit and offset.
     */
    interface Scan {
        /** {@link Projection#KEYS}: the keys. */
        List<String> keys(Connection connection) throws SQLException;

        /** {@link Projection#ENTRIES}: the rows. */
        List<StoredRow> entries(Connection connection) throws SQLException;

        /**
         * {@link Projection#COUNT}: how many live rows; {@link Projection#DELETE}: deletes them, locking them in
         * key_hash order first — without a page all, live or expired; with one the live rows of the page — and
         * says how many were live.
         */
        long count(Connection connection) throws SQLException;
    }

    /**
     * Converts a value, already checked by the store's {@link dev.kv.internal.OperationFront}, to
     * what the value column binds.
     */
    Object toColumn(byte[] value);

    // Point reads: the row at a hash, live or expired, of this key or a colliding one; null if none.

    /** The key, value and expiry ({@link StoredRow#readHead}). */
    StoredRow selectValue(Connection connection, long hash) throws SQLException;

    /** The key and expiry, without the value. */
    StoredRow selectExpiry(Connection connection, long hash) throws SQLException;

    /** The whole row. */
    StoredRow selectEntry(Connection connection, long hash) throws SQLException;

    /** The whole row, locked until the transaction ends ({@code SELECT … FOR UPDATE}). */
    StoredRow selectEntryForUpdate(Connection connection, long hash) throws SQLException;

    /** The whole rows at these hashes, by hash. */
    Map<Long, StoredRow> selectEntries(Connection connection, long[] hashes) throws SQLException;

    // Single-key writes: each one statement, atomic on its own (autocommit).

    /**
     * Writes the row, taking over the row at its hash if that is this key's (a new version, created
     * when it was) or expired (a new entry: version 1, created now). PostgreSQL: {@code INSERT … ON
     * CONFLICT DO UPDATE … WHERE}.
     *
     * @return false, writing nothing, if a live row of another key holds the hash
     */
    boolean upsert(Connection connection, NewRow row, Instant now, Instant expiryNow) throws SQLException;

    /** Writes the row as version 1 if no live row holds its hash (taking over an expired one). */
    Insertion insertIfAbsent(Connection connection, NewRow row, Instant now, Instant expiryNow) throws SQLException;

    /** Writes a new value over the live row of this key at this version; the new version, or null if none matched. */
    Long setIfVersion(
            Connection connection, HashedKey key, Object column, long expectedVersion, Instant now, Instant expiryNow)
            throws SQLException;

    /** Deletes the live row of this key at this version; whether one matched. */
    boolean deleteIfVersion(Connection connection, HashedKey key, long expectedVersion, Instant expiryNow)
            throws SQLException;

    /** Deletes this key's row, live or expired; whether a live one was deleted. */
    boolean delete(Connection connection, HashedKey key, Instant expiryNow) throws SQLException;

    /** Sets the expiry (and idle period, null for none) of this key's live row; whether there was one. */
    boolean expire(
            Connection connection, HashedKey key, Instant expiresAt, Long idleMicros, Instant now, Instant expiryNow)
            throws SQLException;

    /**
     * Moves the expiry of an idle entry's row read with expiry {@code seenExpiresAt} to {@code newExpiresAt},
     * leaving version and times alone: a read, not a write. Nothing if the row changed since it was read.
     *
     * @return whether the row was refreshed
     */
    boolean refreshIdle(Connection connection, HashedKey key, Instant seenExpiresAt, Instant newExpiresAt)
            throws SQLException;

    /** Removes the expiry of this key's live row that has one; whether there was one. */
    boolean persist(Connection connection, HashedKey key, Instant now, Instant expiryNow) throws SQLException;

    /**
     * Adds {@code delta} to the counter in this key's live row, or writes {@code delta} as a new
     * persistent counter where there is none (or an expired row of any key), in one statement. A value
     * that is no integer fails with SQLSTATE 23502, 22P02 or 22021 and a sum that overflows with
     * 22003 ({@link CounterErrors}), writing nothing.
     *
     * @return the new value, or null, writing nothing, if a live row of another key holds the hash
     */
    Long increment(
            Connection connection, HashedKey key, long delta, WrittenExpiry newExpiry, Instant now, Instant expiryNow)
            throws SQLException;

    /**
     * One statement that locks the row at the key's hash and, if {@code condition} holds, writes {@code row}
     * over it: over a live row of this key a new version, created when it was, keeping its expiry if {@code
     * keepExpiry}; over nothing or an expired row of any key a new entry (version 1, created now). A live row of
     * another key is never written. {@code expected} is the value column {@link SwapCondition#VALUE} compares
     * with (as JSON in a JSON column). The previous value is returned if it was live and either the condition is
     * {@link SwapCondition#ANY} or nothing was written. With no row to lock, a row inserted meanwhile by another
     * writer is left alone: the result then has no previous row and nothing written, and the store runs the
     * statement again.
     */
    Swapped swap(
            Connection connection,
            NewRow row,
            SwapCondition condition,
            Object expected,
            boolean keepExpiry,
            Instant now,
            Instant expiryNow)
            throws SQLException;

    /**
     * One statement that locks the row at the key's hash and deletes it if it is this key's or expired; the row
     * it met ({@link StoredRow#readHead}, the value only if live), or null if none.
     */
    StoredRow getAndDelete(Connection connection, HashedKey key, Instant expiryNow) throws SQLException;

    /**
     * One statement that locks the row at the key's hash and takes, renews or releases the lock of {@code
     * owner} there ({@link dev.kv.internal.LockValue}). A take over nothing or an expired row writes a new lock
     * (version 1) whose fencing token is higher than any token taken before it, of any lock of the database;
     * over the owner's live lock it renews it; a live row of another key or owner is left alone. {@code
     * expiresAt} is the lease's end. With no row to lock, a row inserted meanwhile by another writer is left
     * alone: the result then has no previous row and nothing written, and the store runs the statement again.
     */
    Locked lock(
            Connection connection,
            HashedKey key,
            LockAction action,
            String owner,
            long token,
            Instant expiresAt,
            Instant now,
            Instant expiryNow)
            throws SQLException;

    // Inside update(): after selectEntryForUpdate, in its transaction.

    /** Deletes the row at this hash. */
    void deleteRow(Connection connection, long hash) throws SQLException;

    /** Rewrites the locked row at this key's hash with every column given. */
    void rewrite(Connection connection, NewRow row, Instant createdAt, Instant now, long version) throws SQLException;

    /** Inserts the row as version 1; false, writing nothing, if a row holds its hash (another writer was first). */
    boolean insertNew(Connection connection, NewRow row, Instant now) throws SQLException;

    // Batches: one statement each, taking every row lock in key_hash order (absent keys by inserting them in
    // that order), so that multi-row writes lock in one global order and never deadlock one another.

    /**
     * {@link #upsert} of every row, in the order given, as one statement.
     *
     * @return how many rows were written: fewer than given means a collision
     */
    int upsertMany(Connection connection, List<NewRow> rows, Instant now, Instant expiryNow) throws SQLException;

    /**
     * The first statement of an atomic batch: in one pass in key_hash order, inserts each of {@code
     * inserts} whose hash holds no row and locks the row of every other one, and locks the rows at {@code
     * lockHashes} and the rows {@code selections} select (as a deletion by them would remove).
     *
     * @return per hash met, whether this statement inserted its row
     */
    Map<Long, Boolean> lockOrInsert(
            Connection connection,
            List<BatchRow> inserts,
            long[] lockHashes,
            List<ScanOptions> selections,
            Instant now,
            Instant expiryNow)
            throws SQLException;

    /**
     * The first statement of an atomic batch that writes no key it names (deletes only): locks the rows at
     * {@code lockHashes} and the rows {@code selections} select, in key_hash order, and reads them.
     *
     * @return the rows locked, by hash
     */
    Map<Long, StoredRow> lockRows(
            Connection connection, long[] lockHashes, List<ScanOptions> selections, Instant expiryNow)
            throws SQLException;

    /** A row of an atomic batch with every column given but updated_at (expiresAt null: none). */
    record BatchRow(
            HashedKey key, Object column, Instant expiresAt, Instant createdAt, long version, Long idleMicros) {}

    /** The last statement of an atomic batch, on rows it holds: rewrites {@code rows} and deletes the rows at {@code deletes}. */
    void rewriteAndDelete(Connection connection, List<BatchRow> rows, long[] deletes, Instant now) throws SQLException;

    /** Deletes these keys' rows, live or expired, locking them in key_hash order first; how many of them were live. */
    long deleteMany(Connection connection, List<HashedKey> keys, Instant expiryNow) throws SQLException;

    // Expiry.

    /** {@link dev.kv.CleanupStrategy#ON_READ}: deletes this key's row if it expired by {@code now}; how many rows. */
    int deleteExpired(Connection connection, HashedKey key, Instant now) throws SQLException;

    /**
     * {@link dev.kv.CleanupStrategy#ON_READ}: deletes the rows at these hashes that expired by {@code now},
     * skipping rows other transactions hold, so that it never waits.
     */
    int deleteExpired(Connection connection, long[] hashes, Instant now) throws SQLException;

    /**
     * Deletes up to {@code limit} rows expired by {@code expiryNow}, skipping rows other
     * transactions hold (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}), so that cleanup never waits
     * for a writer nor a writer for cleanup; how many rows.
     */
    int deleteExpiredBatch(Connection connection, Instant expiryNow, int limit) throws SQLException;

    // Whole table.

    /** A scan of options the store's {@link dev.kv.internal.OperationFront} has checked. */
    Scan scan(ScanOptions options, Projection projection, Instant expiryNow);

    TableSize size(Connection connection, Instant expiryNow) throws SQLException;

    // The change stream: rows a trigger of the migrations writes at commit (PostgreSQL:
    // <table>_stream, <table>_consumer and the trigger kv_change_stream).

    /** Whether the table has the change stream's objects. */
    boolean hasChangeStream(Connection connection) throws SQLException;

    /** The table's change stream, read through {@code executor}; commits are timed by {@code clock}. */
    ChangeStream changeStream(SqlExecutor executor, Clock clock);
}

package dev.kv.jpa;

import static dev.kv.jpa.SqlExecutor.getInstant;
import static dev.kv.jpa.SqlExecutor.setInstant;

import dev.kv.ScanOptions;
import dev.kv.internal.HashedKey;
import dev.kv.jpa.SqlDialect.BatchRow;
import dev.kv.jpa.SqlDialect.NewRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The batch statements of {@link PostgresDialect}: each binds a whole batch as arrays, one per
 * column, and {@code unnest}s them, so a batch is one statement whatever its size. They use the
 * dialect's templates and its take-over fragment.
 */
final class PostgresBatchStatements {

    private final ValueColumn valueColumn;

    PostgresBatchStatements(PostgresDialect dialect, ValueColumn valueColumn, boolean jsonb) {
        this.valueColumn = valueColumn;
        upsertMany = dialect.sql(UPSERT_MANY
                .replace("{arrayType}", jsonb ? "text" : "bytea")
                .replace("{batchValue}", jsonb ? "CAST(b.value AS jsonb)" : "b.value"));
        String batchValue = jsonb ? "CAST(b.value AS jsonb)" : "b.value";
        String arrayType = jsonb ? "text" : "bytea";
        this.table = dialect.sql("{table}");
        lockOrInsert =
                dialect.sql(LOCK_OR_INSERT.replace("{arrayType}", arrayType).replace("{batchValue}", batchValue));
        rewriteAndDelete =
                dialect.sql(REWRITE_AND_DELETE.replace("{arrayType}", arrayType).replace("{batchValue}", batchValue));
        lockRows = dialect.sql(LOCK_ROWS);
        deleteMany = dialect.sql(DELETE_MANY);
        deleteExpiredRows = dialect.sql(DELETE_EXPIRED_ROWS);
    }

    private final String table;

    /** Expiries come as microseconds since the epoch (NULL: none), one array per column. */
    private static final String UPSERT_MANY = PostgresDialect.INSERT_ROW
            + """

            SELECT b.key_hash, b.key, {batchValue},
                   'epoch'::timestamptz + b.expires_micros * interval '1 microsecond', ?, ?, 1, b.idle_micros
            FROM unnest(?::bigint[], ?::text[], ?::{arrayType}[], ?::bigint[], ?::bigint[])
                 WITH ORDINALITY AS b(key_hash, key, value, expires_micros, idle_micros, position)
            ORDER BY b.position
            """
            + PostgresDialect.REPLACE;

    private final String upsertMany;

    int upsertMany(Connection connection, List<NewRow> rows, Instant now, Instant expiryNow) throws SQLException {
        long[] hashes = new long[rows.size()];
        Object[] keys = new Object[rows.size()];
        Object[] columns = new Object[rows.size()];
        Long[] expiries = new Long[rows.size()];
        Long[] idles = new Long[rows.size()];
        for (int i = 0; i < hashes.length; i++) {
            NewRow row = rows.get(i);
            hashes[i] = row.key().hash();
            keys[i] = row.key().text();
            columns[i] = row.column();
            expiries[i] = row.expiresAt() == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, row.expiresAt());
            idles[i] = row.idleMicros();
        }
        try (PreparedStatement upsert = connection.prepareStatement(upsertMany)) {
            setInstant(upsert, now, 1, 2);
            upsert.setArray(3, bigints(connection, hashes));
            upsert.setArray(4, connection.createArrayOf("text", keys));
            upsert.setArray(5, valueColumn.array(connection, columns));
            upsert.setArray(6, connection.createArrayOf("bigint", expiries));
            upsert.setArray(7, connection.createArrayOf("bigint", idles));
            PostgresDialect.bindTakeOver(upsert, 8, expiryNow);
            return upsert.executeUpdate();
        }
    }

    /** Microseconds since the epoch as a timestamptz; NULL stays NULL. */
    private static final String FROM_MICROS = "'epoch'::timestamptz + %s * interval '1 microsecond'";

    /**
     * Candidates: the rows to insert if absent, then the rows to lock (by hash, and each selection's),
     * one row per hash, preferring the row to insert. The insert takes them in key_hash order: a
     * conflicting row is locked and left as it is ({@code WHERE false} locks without updating), an absent
     * one inserted. A row to lock inserted all the same was deleted by another transaction since this
     * statement began ({@link SqlBatches} starts the batch again).
     */
    private static final String LOCK_OR_INSERT =
            """
            WITH candidates AS MATERIALIZED (
              SELECT DISTINCT ON (key_hash) * FROM (
                SELECT b.key_hash, b.key, {batchValue} AS value, %s AS expires_at, %s AS created_at,
                       b.version, b.idle_micros, true AS to_insert
                FROM unnest(?::bigint[], ?::text[], ?::{arrayType}[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                     AS b(key_hash, key, value, expires_micros, created_micros, version, idle_micros)
                UNION ALL
                SELECT key_hash, key, value, expires_at, created_at, version, idle_micros, false FROM {table}
                WHERE key_hash = ANY (?)
                {selections}
              ) AS c ORDER BY key_hash, to_insert DESC),
            taken AS (
              %s
              SELECT key_hash, key, value, expires_at, created_at, ?, version, idle_micros FROM candidates ORDER BY key_hash
              ON CONFLICT (key_hash) DO UPDATE SET version = e.version WHERE false
              RETURNING key_hash)
            SELECT c.key_hash, t.key_hash IS NOT NULL FROM candidates AS c LEFT JOIN taken AS t USING (key_hash)
            """
                    .formatted(
                            FROM_MICROS.formatted("b.expires_micros"),
                            FROM_MICROS.formatted("b.created_micros"),
                            PostgresDialect.INSERT_ROW);

    private final String lockOrInsert;

    Map<Long, Boolean> lockOrInsert(
            Connection connection,
            List<BatchRow> inserts,
            long[] lockHashes,
            List<ScanOptions> selections,
            Instant now,
            Instant expiryNow)
            throws SQLException {
        StringBuilder selected = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (ScanOptions selection : selections) {
            PostgresScan.Fragment rows = PostgresScan.candidates(
                    table,
                    "key_hash, key, value, expires_at, created_at, version, idle_micros, false",
                    selection,
                    expiryNow);
            selected.append("UNION ALL (").append(rows.sql()).append(")\n");
            parameters.addAll(rows.parameters());
        }
        try (PreparedStatement lock =
                connection.prepareStatement(lockOrInsert.replace("{selections}", selected.toString()))) {
            int index = bindRows(lock, 1, connection, inserts);
            lock.setArray(index++, bigints(connection, lockHashes));
            PostgresScan.bind(lock, index, parameters);
            setInstant(lock, index + parameters.size(), now);
            Map<Long, Boolean> inserted = new HashMap<>();
            try (ResultSet row = lock.executeQuery()) {
                while (row.next()) {
                    inserted.put(row.getLong(1), row.getBoolean(2));
                }
            }
            return inserted;
        }
    }

    /**
     * The rows at the hashes and those the selections select, locked in key_hash order and read as
     * locked (a row changed meanwhile is read as it is now): the hashes are collected first, in an ARRAY
     * subquery that locks nothing.
     */
    private static final String LOCK_ROWS =
            """
            SELECT %s, key_hash FROM {table} AS e WHERE key_hash = ANY (ARRAY(
              SELECT key_hash FROM {table} WHERE key_hash = ANY (?)
              {selections}))
            ORDER BY key_hash FOR UPDATE
            """
                    .formatted(PostgresDialect.ENTRY_COLUMNS);

    Map<Long, StoredRow> lockRows(
            Connection connection, long[] lockHashes, List<ScanOptions> selections, Instant expiryNow)
            throws SQLException {
        StringBuilder selected = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (ScanOptions selection : selections) {
            PostgresScan.Fragment rows = PostgresScan.candidates(table, "key_hash", selection, expiryNow);
            selected.append("UNION ALL (").append(rows.sql()).append(")\n");
            parameters.addAll(rows.parameters());
        }
        try (PreparedStatement lock = connection.prepareStatement(lockRows.replace("{selections}", selected))) {
            lock.setArray(1, bigints(connection, lockHashes));
            PostgresScan.bind(lock, 2, parameters);
            Map<Long, StoredRow> rows = new HashMap<>();
            try (ResultSet row = lock.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getLong(8), StoredRow.read(row, valueColumn));
                }
            }
            return rows;
        }
    }

    private final String lockRows;

    /** Binds the six column arrays of {@code rows} from {@code index} on; the index after them. */
    private int bindRows(PreparedStatement statement, int index, Connection connection, List<BatchRow> rows)
            throws SQLException {
        long[] hashes = new long[rows.size()];
        Object[] keys = new Object[rows.size()];
        Object[] columns = new Object[rows.size()];
        Long[] expiries = new Long[rows.size()];
        Long[] created = new Long[rows.size()];
        Long[] versions = new Long[rows.size()];
        Long[] idles = new Long[rows.size()];
        for (int i = 0; i < hashes.length; i++) {
            BatchRow row = rows.get(i);
            hashes[i] = row.key().hash();
            keys[i] = row.key().text();
            columns[i] = row.column();
            expiries[i] = micros(row.expiresAt());
            created[i] = micros(row.createdAt());
            versions[i] = row.version();
            idles[i] = row.idleMicros();
        }
        statement.setArray(index, bigints(connection, hashes));
        statement.setArray(index + 1, connection.createArrayOf("text", keys));
        statement.setArray(index + 2, valueColumn.array(connection, columns));
        statement.setArray(index + 3, connection.createArrayOf("bigint", expiries));
        statement.setArray(index + 4, connection.createArrayOf("bigint", created));
        statement.setArray(index + 5, connection.createArrayOf("bigint", versions));
        statement.setArray(index + 6, connection.createArrayOf("bigint", idles));
        return index + 7;
    }

    private static Long micros(Instant instant) {
        return instant == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** Both on rows the batch holds: the delete a data-modifying CTE, which runs to completion unread. */
    private static final String REWRITE_AND_DELETE =
            """
            WITH removed AS (DELETE FROM {table} WHERE key_hash = ANY (?))
            UPDATE {table} AS e SET key = b.key, value = {batchValue}, expires_at = %s, created_at = %s,
                   updated_at = ?, version = b.version, idle_micros = b.idle_micros
            FROM unnest(?::bigint[], ?::text[], ?::{arrayType}[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                 AS b(key_hash, key, value, expires_micros, created_micros, version, idle_micros)
            WHERE e.key_hash = b.key_hash
            """
                    .formatted(FROM_MICROS.formatted("b.expires_micros"), FROM_MICROS.formatted("b.created_micros"));

    private final String rewriteAndDelete;

    void rewriteAndDelete(Connection connection, List<BatchRow> rows, long[] deletes, Instant now) throws SQLException {
        try (PreparedStatement write = connection.prepareStatement(rewriteAndDelete)) {
            write.setArray(1, bigints(connection, deletes));
            setInstant(write, 2, now);
            bindRows(write, 3, connection, rows);
            write.executeUpdate();
        }
    }

    /**
     * Returns the expiry of each deleted row. The rows are locked in key_hash order first (an ARRAY
     * subquery runs before the delete): a join deletes them in the plan's order.
     */
    private static final String DELETE_MANY =
            """
            DELETE FROM {table} AS e USING unnest(?::bigint[], ?::text[]) AS d(key_hash, key)
            WHERE e.key_hash = d.key_hash AND e.key = d.key
              AND e.key_hash = ANY (ARRAY(
                SELECT key_hash FROM {table} WHERE key_hash = ANY (?) ORDER BY key_hash FOR UPDATE))
            RETURNING e.expires_at
            """;

    private final String deleteMany;

    long deleteMany(Connection connection, List<HashedKey> keys, Instant expiryNow) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteMany)) {
            Array hashes =
                    bigints(connection, keys.stream().mapToLong(HashedKey::hash).toArray());
            delete.setArray(1, hashes);
            delete.setArray(
                    2,
                    connection.createArrayOf(
                            "text", keys.stream().map(HashedKey::text).toArray()));
            delete.setArray(3, hashes);
            long live = 0;
            try (ResultSet deleted = delete.executeQuery()) {
                while (deleted.next()) {
                    live += PostgresDialect.isLive(getInstant(deleted, 1), expiryNow) ? 1 : 0;
                }
            }
            return live;
        }
    }

    static Array bigints(Connection connection, long[] values) throws SQLException {
        return connection.createArrayOf("bigint", LongStream.of(values).boxed().toArray());
    }

    /**
     * A row written again since it was met is live and stays; a row another transaction holds is
     * skipped, so that a read never waits (and never takes part in a deadlock) to clean up.
     */
    private static final String DELETE_EXPIRED_ROWS =
            """
            DELETE FROM {table} WHERE key_hash = ANY (ARRAY(
              SELECT key_hash FROM {table} WHERE key_hash = ANY (?) AND expires_at <= ? FOR UPDATE SKIP LOCKED))
            """;

    private final String deleteExpiredRows;

    int deleteExpired(Connection connection, long[] hashes, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteExpiredRows)) {
            delete.setArray(1, bigints(connection, hashes));
            setInstant(delete, 2, now);
            return delete.executeUpdate();
        }
    }
}

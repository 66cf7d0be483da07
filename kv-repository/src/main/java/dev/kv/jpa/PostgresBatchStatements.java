package dev.kv.jpa;

import static dev.kv.jpa.SqlExecutor.getInstant;
import static dev.kv.jpa.SqlExecutor.setInstant;

import dev.kv.internal.HashedKey;
import dev.kv.jpa.SqlDialect.NewRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
        lockMany = dialect.sql(LOCK_MANY);
        deleteMany = dialect.sql(DELETE_MANY);
        deleteExpiredRows = dialect.sql(DELETE_EXPIRED_ROWS);
    }

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

    private static final String LOCK_MANY =
            "SELECT key_hash, key, expires_at FROM {table} WHERE key_hash = ANY (?) ORDER BY key_hash FOR UPDATE";
    private final String lockMany;

    Map<Long, StoredRow> lockMany(Connection connection, long[] hashes) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(lockMany)) {
            lock.setArray(1, bigints(connection, hashes));
            Map<Long, StoredRow> rows = new HashMap<>();
            try (ResultSet row = lock.executeQuery()) {
                while (row.next()) {
                    rows.put(
                            row.getLong(1),
                            new StoredRow(row.getString(2), null, getInstant(row, 3), null, null, 0, 0));
                }
            }
            return rows;
        }
    }

    /** Returns the expiry of each deleted row. */
    private static final String DELETE_MANY =
            """
            DELETE FROM {table} AS e USING unnest(?::bigint[], ?::text[]) AS d(key_hash, key)
            WHERE e.key_hash = d.key_hash AND e.key = d.key
            RETURNING e.expires_at
            """;

    private final String deleteMany;

    long deleteMany(Connection connection, List<HashedKey> keys, Instant expiryNow) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteMany)) {
            delete.setArray(
                    1,
                    bigints(connection, keys.stream().mapToLong(HashedKey::hash).toArray()));
            delete.setArray(
                    2,
                    connection.createArrayOf(
                            "text", keys.stream().map(HashedKey::text).toArray()));
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

    /** A row written again since it was met is live and stays. */
    private static final String DELETE_EXPIRED_ROWS =
            "DELETE FROM {table} WHERE key_hash = ANY (?) AND expires_at <= ?";

    private final String deleteExpiredRows;

    int deleteExpired(Connection connection, long[] hashes, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteExpiredRows)) {
            delete.setArray(1, bigints(connection, hashes));
            setInstant(delete, 2, now);
            return delete.executeUpdate();
        }
    }
}

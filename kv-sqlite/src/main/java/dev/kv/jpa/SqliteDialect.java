package dev.kv.jpa;

import static dev.kv.jpa.SqlExecutor.getInstant;
import static dev.kv.jpa.SqlExecutor.setInstant;

import dev.kv.ChangeStream;
import dev.kv.KvConfig;
import dev.kv.ScanOptions;
import dev.kv.ValueFormat;
import dev.kv.internal.HashedKey;
import dev.kv.internal.LockValue;
import dev.kv.internal.SqlIdentifier;
import dev.kv.internal.WrittenExpiry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The statements of a SQLite store (SQLite 3.35 or later: {@code RETURNING}, {@code ON CONFLICT … DO
 * UPDATE … WHERE}). Parameters are numbered ({@code ?1}), so a statement binds an instant used in three
 * places once. Where PostgreSQL's promise rests on a feature SQLite lacks, SQLite's single writer keeps
 * it: every transaction begins with {@code BEGIN IMMEDIATE} ({@link SqliteTransactions}), holding the
 * database's one write lock, so {@code selectEntryForUpdate}, {@code lockOrInsert} and {@code lockRows} need no row locks and
 * {@code deleteExpiredBatch} has nothing to skip. Batches have no arrays: hashes travel as a JSON array
 * read by {@code json_each}, and the writes of a batch as one prepared statement run per row in the
 * batch's transaction. Times are ISO-8601 text ({@link SqlExecutor#text}), which compares in time order.
 *
 * <p>A file has no schemas: the table is named without one, and {@link KvConfig#schema()} is not used.
 */
final class SqliteDialect implements SqlDialect {

    private static final String ENTRY_COLUMNS = PostgresDialect.ENTRY_COLUMNS;

    private static final String INSERT_ROW =
            "INSERT INTO {table} AS e (key_hash, key, value, expires_at, created_at, updated_at, version, idle_micros)";

    /**
     * {@link PostgresDialect}'s take-over, with the instant expiry is judged at as ?6: this key's row or
     * an expired row of any key is taken, a live row of another key is a collision (no row changed).
     */
    private static final String TAKE_OVER =
            """
            ON CONFLICT (key_hash) DO UPDATE SET
              key = excluded.key,
              value = {newValue},
              expires_at = {newExpiry},
              idle_micros = {newIdle},
              created_at = CASE WHEN e.expires_at <= ?6 THEN excluded.created_at ELSE e.created_at END,
              updated_at = excluded.updated_at,
              version = CASE WHEN e.expires_at <= ?6 THEN 1 ELSE e.version + 1 END
            WHERE e.key = excluded.key OR e.expires_at <= ?6
            """;

    private final String table;
    private final boolean json;
    private final ValueColumn valueColumn;
    private final KvConfig config;

    SqliteDialect(KvConfig config) {
        this.table = SqlIdentifier.quote(SqlIdentifier.check("table", config.table()));
        this.json = config.format() == ValueFormat.JSONB;
        this.valueColumn = ValueColumn.of(config.format());
        this.config = config;
        selectValue = sql(SELECT_VALUE);
        selectExpiry = sql(SELECT_EXPIRY);
        selectEntry = sql(SELECT_ENTRY);
        selectEntries = sql(SELECT_ENTRIES);
        upsert = sql(UPSERT);
        insertIfAbsent = sql(INSERT_IF_ABSENT);
        selectOccupant = sql(SELECT_OCCUPANT);
        setIfVersion = sql(SET_IF_VERSION);
        deleteIfVersion = sql(DELETE_IF_VERSION);
        delete = sql(DELETE);
        expire = sql(EXPIRE);
        persist = sql(PERSIST);
        increment = sql(INCREMENT
                .replace("{newValue}", json ? "CAST(" + SUM + " AS TEXT)" : "CAST(CAST(" + SUM + " AS TEXT) AS BLOB)")
                .replace("{counter}", json ? JSON_COUNTER : bytesCounter()));
        deleteRow = sql(DELETE_ROW);
        rewrite = sql(REWRITE);
        insertNew = sql(INSERT_NEW);
        refreshIdle = sql(REFRESH_IDLE);
        nextToken = NEXT_TOKEN.replace(
                "{tokens}", SqlIdentifier.quote(SqlIdentifier.check("table", config.table()) + "_lock_token"));
        deleteExpiredRow = sql(DELETE_EXPIRED_ROW);
        deleteExpiredRows = sql(DELETE_EXPIRED_ROWS);
        deleteExpiredBatch = sql(DELETE_EXPIRED_BATCH);
        size = sql(SIZE);
    }

    private String sql(String template) {
        return template.replace("{table}", table);
    }

    @Override
    public Object toColumn(byte[] value) {
        return valueColumn.toColumn(value);
    }

    // Point reads.

    private static final String SELECT_VALUE =
            "SELECT key, value, expires_at, idle_micros FROM {table} WHERE key_hash = ?1";
    private final String selectValue;

    @Override
    public StoredRow selectValue(Connection connection, long hash) throws SQLException {
        return selectRow(connection, selectValue, hash, StoredRow::readHead);
    }

    private static final String SELECT_EXPIRY =
            "SELECT key, NULL, expires_at, idle_micros FROM {table} WHERE key_hash = ?1";
    private final String selectExpiry;

    @Override
    public StoredRow selectExpiry(Connection connection, long hash) throws SQLException {
        return selectRow(connection, selectExpiry, hash, StoredRow::readHead);
    }

    private static final String SELECT_ENTRY = "SELECT " + ENTRY_COLUMNS + " FROM {table} WHERE key_hash = ?1";
    private final String selectEntry;

    @Override
    public StoredRow selectEntry(Connection connection, long hash) throws SQLException {
        return selectRow(connection, selectEntry, hash, StoredRow::read);
    }

    /** A plain read: the transaction that runs it began with BEGIN IMMEDIATE and holds the write lock. */
    @Override
    public StoredRow selectEntryForUpdate(Connection connection, long hash) throws SQLException {
        return selectEntry(connection, hash);
    }

    private interface RowReader {
        StoredRow read(ResultSet row, ValueColumn valueColumn) throws SQLException;
    }

    private StoredRow selectRow(Connection connection, String sql, long hash, RowReader reader) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, hash);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? reader.read(row, valueColumn) : null;
            }
        }
    }

    private static final String SELECT_ENTRIES =
            "SELECT " + ENTRY_COLUMNS + ", key_hash FROM {table} WHERE key_hash IN (SELECT value FROM json_each(?1))";
    private final String selectEntries;

    @Override
    public Map<Long, StoredRow> selectEntries(Connection connection, long[] hashes) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(selectEntries)) {
            select.setString(1, jsonArray(hashes));
            Map<Long, StoredRow> found = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getLong(8), StoredRow.read(rows, valueColumn));
                }
            }
            return found;
        }
    }

    /** Hashes as the JSON array {@code json_each} reads: SQLite's arrays. */
    private static String jsonArray(long[] hashes) {
        return LongStream.of(hashes).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
    }

    // Single-key writes. ?1 to ?5: key_hash, key, value, expires_at, now (created_at and updated_at).

    private static final String UPSERT = INSERT_ROW + " VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, ?7)\n"
            + TAKE_OVER
                    .replace("{newValue}", "excluded.value")
                    .replace("{newExpiry}", "excluded.expires_at")
                    .replace("{newIdle}", "excluded.idle_micros");
    private final String upsert;

    @Override
    public boolean upsert(Connection connection, NewRow row, Instant now, Instant expiryNow) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(this.upsert)) {
            bindNewRow(upsert, row, now, expiryNow);
            return upsert.executeUpdate() > 0;
        }
    }

    private void bindNewRow(PreparedStatement statement, NewRow row, Instant now, Instant expiryNow)
            throws SQLException {
        statement.setLong(1, row.key().hash());
        statement.setString(2, row.key().text());
        valueColumn.bind(statement, 3, row.column());
        setInstant(statement, 4, row.expiresAt());
        setInstant(statement, 5, now);
        setInstant(statement, 6, expiryNow);
        setIdle(statement, 7, row.idleMicros());
    }

    private static void setIdle(PreparedStatement statement, int index, Long idleMicros) throws SQLException {
        if (idleMicros == null) {
            statement.setNull(index, java.sql.Types.BIGINT);
        } else {
            statement.setLong(index, idleMicros);
        }
    }

    /** Takes over only an expired row; returns the version written, nothing if a live row holds the hash. */
    private static final String INSERT_IF_ABSENT = INSERT_ROW
            + """
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, ?7)
            ON CONFLICT (key_hash) DO UPDATE SET
              key = excluded.key,
              value = excluded.value,
              expires_at = excluded.expires_at,
              idle_micros = excluded.idle_micros,
              created_at = excluded.created_at,
              updated_at = excluded.updated_at,
              version = 1
            WHERE e.expires_at <= ?6
            RETURNING version
            """;

    private final String insertIfAbsent;

    private static final String SELECT_OCCUPANT = "SELECT key, version FROM {table} WHERE key_hash = ?1";
    private final String selectOccupant;

    /**
     * Two statements where PostgreSQL has one: the insert, and if it wrote nothing, a read of the live
     * row that held the hash (null if it was deleted in between: then nothing is reported present).
     */
    @Override
    public Insertion insertIfAbsent(Connection connection, NewRow row, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertIfAbsent)) {
            bindNewRow(insert, row, now, expiryNow);
            try (ResultSet written = insert.executeQuery()) {
                if (written.next()) {
                    return new Insertion(written.getLong(1), null, 0);
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement(selectOccupant)) {
            select.setLong(1, row.key().hash());
            try (ResultSet previous = select.executeQuery()) {
                return previous.next()
                        ? new Insertion(null, previous.getString(1), previous.getLong(2))
                        : new Insertion(null, null, 0);
            }
        }
    }

    /** ?1 to ?3: key_hash, key and the instant expiry is judged at. */
    private static final String LIVE_ROW_OF_KEY =
            "key_hash = ?1 AND key = ?2 AND (expires_at IS NULL OR expires_at > ?3)";

    private static void bindLiveRowOfKey(PreparedStatement statement, HashedKey key, Instant expiryNow)
            throws SQLException {
        statement.setLong(1, key.hash());
        statement.setString(2, key.text());
        setInstant(statement, 3, expiryNow);
    }

    private static final String SET_IF_VERSION = "UPDATE {table} SET value = ?4, updated_at = ?5, version = version + 1"
            + " WHERE " + LIVE_ROW_OF_KEY + " AND version = ?6 RETURNING version";
    private final String setIfVersion;

    @Override
    public Long setIfVersion(
            Connection connection, HashedKey key, Object column, long expectedVersion, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(setIfVersion)) {
            bindLiveRowOfKey(update, key, expiryNow);
            valueColumn.bind(update, 4, column);
            setInstant(update, 5, now);
            update.setLong(6, expectedVersion);
            try (ResultSet written = update.executeQuery()) {
                return written.next() ? written.getLong(1) : null;
            }
        }
    }

    private static final String DELETE_IF_VERSION =
            "DELETE FROM {table} WHERE " + LIVE_ROW_OF_KEY + " AND version = ?4";
    private final String deleteIfVersion;

    @Override
    public boolean deleteIfVersion(Connection connection, HashedKey key, long expectedVersion, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteIfVersion)) {
            bindLiveRowOfKey(delete, key, expiryNow);
            delete.setLong(4, expectedVersion);
            return delete.executeUpdate() > 0;
        }
    }

    /** Returns the expiry of the deleted row, to tell a live entry from an expired leftover. */
    private static final String DELETE = "DELETE FROM {table} WHERE key_hash = ?1 AND key = ?2 RETURNING expires_at";

    private final String delete;

    @Override
    public boolean delete(Connection connection, HashedKey key, Instant expiryNow) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(this.delete)) {
            return deletedLive(delete, key, expiryNow);
        }
    }

    private static boolean deletedLive(PreparedStatement delete, HashedKey key, Instant expiryNow) throws SQLException {
        delete.setLong(1, key.hash());
        delete.setString(2, key.text());
        try (ResultSet deleted = delete.executeQuery()) {
            return deleted.next() && PostgresDialect.isLive(getInstant(deleted, 1), expiryNow);
        }
    }

    private static final String EXPIRE =
            "UPDATE {table} SET expires_at = ?4, idle_micros = ?6, updated_at = ?5, version = version + 1" + " WHERE "
                    + LIVE_ROW_OF_KEY;
    private final String expire;

    @Override
    public boolean expire(
            Connection connection, HashedKey key, Instant expiresAt, Long idleMicros, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement expire = connection.prepareStatement(this.expire)) {
            bindLiveRowOfKey(expire, key, expiryNow);
            setInstant(expire, 4, expiresAt);
            setInstant(expire, 5, now);
            setIdle(expire, 6, idleMicros);
            return expire.executeUpdate() == 1;
        }
    }

    private static final String PERSIST =
            """
            UPDATE {table} SET expires_at = NULL, idle_micros = NULL, updated_at = ?4, version = version + 1
            WHERE key_hash = ?1 AND key = ?2 AND expires_at > ?3
            """;
    private final String persist;

    @Override
    public boolean persist(Connection connection, HashedKey key, Instant now, Instant expiryNow) throws SQLException {
        try (PreparedStatement persist = connection.prepareStatement(this.persist)) {
            bindLiveRowOfKey(persist, key, expiryNow);
            setInstant(persist, 4, now);
            return persist.executeUpdate() == 1;
        }
    }

    // increment: a stored value that is no integer fitting a long gives NULL, which NOT NULL refuses
    // (23502 in SqliteTransactions); a sum beyond a long is made to fail as SQLite's "integer
    // overflow" (22003) instead of turning into a REAL, which is what SQLite's + does. Nothing is written
    // in either case. ?7 is delta, ?8 the greatest and ?9 the least stored value delta can be added to.

    /** A JSON integer that fits a long: json_extract gives a larger one as a REAL. */
    private static final String JSON_COUNTER = "CASE WHEN json_type(e.value) = 'integer'"
            + " AND typeof(json_extract(e.value, '$')) = 'integer' THEN json_extract(e.value, '$') END";

    /** The UTF-8 text of the bytes, trimmed, if it is an integer of up to 19 digits that fits a long. */
    private static String bytesCounter() {
        String text = "trim(CAST(e.value AS TEXT), ' ' || char(9, 10, 13))";
        String digits = "CASE WHEN substr({t}, 1, 1) = '-' THEN substr({t}, 2) ELSE {t} END";
        return ("CASE WHEN ({d}) <> '' AND ({d}) NOT GLOB '*[^0-9]*' AND (length({d}) <= 18"
                        + " OR (length({d}) = 19 AND ({d}) <= CASE WHEN substr({t}, 1, 1) = '-'"
                        + " THEN '9223372036854775808' ELSE '9223372036854775807' END))"
                        + " THEN CAST({t} AS INTEGER) END")
                .replace("{d}", digits)
                .replace("{t}", text);
    }

    /** abs() of the least long fails with "integer overflow"; the column keeps it from being constant-folded. */
    private static final String SUM =
            """
            (CASE WHEN ({counter}) > ?8 OR ({counter}) < ?9 THEN abs(-9223372036854775807 - 1 + 0 * e.version)
              ELSE ({counter}) + ?7 END)""";

    private static final String INCREMENT = INSERT_ROW + " VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, ?10)\n"
            + TAKE_OVER
                    .replace("{newValue}", "CASE WHEN e.expires_at <= ?6 THEN excluded.value ELSE {newValue} END")
                    .replace(
                            "{newExpiry}",
                            "CASE WHEN e.expires_at <= ?6 THEN excluded.expires_at ELSE e.expires_at END")
                    .replace(
                            "{newIdle}",
                            "CASE WHEN e.expires_at <= ?6 THEN excluded.idle_micros ELSE e.idle_micros END")
            + "RETURNING value";
    private final String increment;

    @Override
    public Long increment(
            Connection connection, HashedKey key, long delta, WrittenExpiry newExpiry, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement increment = connection.prepareStatement(this.increment)) {
            NewRow row = new NewRow(
                    key, valueColumn.toColumn(Long.toString(delta).getBytes(StandardCharsets.US_ASCII)), newExpiry);
            increment.setLong(1, key.hash());
            increment.setString(2, key.text());
            valueColumn.bind(increment, 3, row.column());
            setInstant(increment, 4, row.expiresAt());
            setIdle(increment, 10, row.idleMicros());
            setInstant(increment, 5, now);
            setInstant(increment, 6, expiryNow);
            increment.setLong(7, delta);
            increment.setLong(8, delta > 0 ? Long.MAX_VALUE - delta : Long.MAX_VALUE);
            increment.setLong(9, delta < 0 ? Long.MIN_VALUE - delta : Long.MIN_VALUE);
            try (ResultSet written = increment.executeQuery()) {
                return written.next()
                        ? Long.parseLong(new String(valueColumn.read(written, 1), StandardCharsets.US_ASCII))
                        : null;
            }
        }
    }

    // Read-modify-write: a read of the row and the writes it decides, under the database's one write lock (in
    // the caller's transaction, or in one of their own), so no other writer runs in between: SQLite's
    // RETURNING gives the new row, never the one it replaced.

    private interface LockedWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in the connection's transaction, which BEGIN IMMEDIATE began, or in one of its own. */
    private static <T> T underWriteLock(Connection connection, LockedWork<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            return work.run();
        }
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The row's key, expiry and idle period, with {@code value}: what swap, getAndDelete and lock report. */
    private static StoredRow head(StoredRow row, byte[] value) {
        return new StoredRow(row.key(), value, row.expiresAt(), null, null, 0, row.idleMicros());
    }

    private static Long idle(StoredRow row) {
        return row.idleMicros() > 0 ? row.idleMicros() : null;
    }

    @Override
    public Swapped swap(
            Connection connection,
            NewRow row,
            SwapCondition condition,
            Object expected,
            boolean keepExpiry,
            Instant now,
            Instant expiryNow)
            throws SQLException {
        return underWriteLock(connection, () -> {
            StoredRow old = selectEntry(connection, row.key().hash());
            boolean live = old != null && old.isLiveAt(expiryNow);
            boolean own = old != null && old.key().equals(row.key().text());
            boolean write =
                    switch (condition) {
                        case ANY -> !live || own;
                        case ABSENT -> !live;
                        case VALUE -> live && own && sameValue(old.value(), expected);
                    };
            if (write && old == null) {
                insertNew(connection, row, now);
            } else if (write && live) {
                NewRow kept = keepExpiry ? new NewRow(row.key(), row.column(), old.expiresAt(), idle(old)) : row;
                rewrite(connection, kept, old.createdAt(), now, old.version() + 1);
            } else if (write) {
                rewrite(connection, row, now, now, 1);
            }
            byte[] previousValue = live && (condition == SwapCondition.ANY || !write) ? old.value() : null;
            return new Swapped(old == null ? null : head(old, previousValue), write);
        });
    }

    /** Whether a stored value equals the expected column: as JSON values in a JSON column (as jsonb's =), else byte for byte. */
    private boolean sameValue(byte[] stored, Object expected) {
        byte[] wanted = expected instanceof byte[] bytes
                ? bytes
                : String.valueOf(expected).getBytes(StandardCharsets.UTF_8);
        if (!json) {
            return java.util.Arrays.equals(stored, wanted);
        }
        try {
            return JSON.readTree(stored).equals(SAME_JSON, JSON.readTree(wanted));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            com.fasterxml.jackson.databind.json.JsonMapper.builder().build();

    /** Numbers equal by value (1 = 1.0), as in jsonb; everything else by JsonNode's equality. */
    private static final java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> SAME_JSON = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    @Override
    public StoredRow getAndDelete(Connection connection, HashedKey key, Instant expiryNow) throws SQLException {
        return underWriteLock(connection, () -> {
            StoredRow old = selectValue(connection, key.hash());
            if (old == null) {
                return null;
            }
            boolean live = old.isLiveAt(expiryNow);
            if (old.key().equals(key.text()) || !live) {
                deleteRow(connection, key.hash());
            }
            return head(old, live ? old.value() : null);
        });
    }

    /**
     * Fencing tokens come from a counter row ({@code <table>_lock_token}, changeSet 8 of changelog-sqlite.xml),
     * moved on under the write lock: with one writer at a time, each token drawn is past every one before it.
     */
    private static final String NEXT_TOKEN =
            """
            INSERT INTO {tokens} (id, token) VALUES (1, 1)
            ON CONFLICT (id) DO UPDATE SET token = token + 1
            RETURNING token
            """;

    private final String nextToken;

    private long nextToken(Connection connection) throws SQLException {
        try (PreparedStatement next = connection.prepareStatement(nextToken);
                ResultSet token = next.executeQuery()) {
            token.next();
            return token.getLong(1);
        }
    }

    @Override
    public Locked lock(
            Connection connection,
            HashedKey key,
            LockAction action,
            String owner,
            long token,
            Instant expiresAt,
            Instant now,
            Instant expiryNow)
            throws SQLException {
        return underWriteLock(connection, () -> {
            StoredRow old = selectEntry(connection, key.hash());
            boolean live = old != null && old.isLiveAt(expiryNow);
            boolean own = old != null && old.key().equals(key.text());
            LockValue held = old == null ? null : LockValue.parse(old.value());
            Long heldToken = held != null && held.owner().equals(owner) ? held.token() : null;
            byte[] value = null;
            boolean released = false;
            if (action == LockAction.ACQUIRE && !live) {
                long drawn = Math.max(nextToken(connection), heldToken == null ? 1 : heldToken + 1);
                value = new LockValue(owner, drawn).bytes();
                NewRow lock = new NewRow(key, valueColumn.toColumn(value), expiresAt, null);
                if (old == null) {
                    insertNew(connection, lock, now);
                } else {
                    rewrite(connection, lock, now, now, 1);
                }
            } else if (live && own && heldToken != null && (action == LockAction.ACQUIRE || heldToken == token)) {
                if (action == LockAction.RELEASE) {
                    deleteRow(connection, key.hash());
                    released = true;
                } else {
                    value = old.value();
                    NewRow lock = new NewRow(key, valueColumn.toColumn(value), expiresAt, null);
                    rewrite(connection, lock, old.createdAt(), now, old.version() + 1);
                }
            }
            return new Locked(old == null ? null : head(old, null), value, released);
        });
    }

    private static final String REFRESH_IDLE =
            "UPDATE {table} SET expires_at = ?1 WHERE key_hash = ?2 AND key = ?3 AND expires_at = ?4 AND idle_micros > 0";

    private final String refreshIdle;

    @Override
    public boolean refreshIdle(Connection connection, HashedKey key, Instant seenExpiresAt, Instant newExpiresAt)
            throws SQLException {
        try (PreparedStatement refresh = connection.prepareStatement(refreshIdle)) {
            setInstant(refresh, 1, newExpiresAt);
            refresh.setLong(2, key.hash());
            refresh.setString(3, key.text());
            setInstant(refresh, 4, seenExpiresAt);
            return refresh.executeUpdate() == 1;
        }
    }

    // Inside update(), in a transaction holding the write lock.

    private static final String DELETE_ROW = "DELETE FROM {table} WHERE key_hash = ?1";
    private final String deleteRow;

    @Override
    public void deleteRow(Connection connection, long hash) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteRow)) {
            delete.setLong(1, hash);
            delete.executeUpdate();
        }
    }

    private static final String REWRITE =
            """
            UPDATE {table} SET key = ?2, value = ?3, expires_at = ?4, created_at = ?5, updated_at = ?6, version = ?7,
              idle_micros = ?8
            WHERE key_hash = ?1
            """;
    private final String rewrite;

    @Override
    public void rewrite(Connection connection, NewRow row, Instant createdAt, Instant now, long version)
            throws SQLException {
        try (PreparedStatement rewrite = connection.prepareStatement(this.rewrite)) {
            rewrite.setLong(1, row.key().hash());
            rewrite.setString(2, row.key().text());
            valueColumn.bind(rewrite, 3, row.column());
            setInstant(rewrite, 4, row.expiresAt());
            setInstant(rewrite, 5, createdAt);
            setInstant(rewrite, 6, now);
            rewrite.setLong(7, version);
            setIdle(rewrite, 8, row.idleMicros());
            rewrite.executeUpdate();
        }
    }

    private static final String INSERT_NEW =
            INSERT_ROW + " VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, ?6) ON CONFLICT (key_hash) DO NOTHING";
    private final String insertNew;

    @Override
    public boolean insertNew(Connection connection, NewRow row, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertNew)) {
            insert.setLong(1, row.key().hash());
            insert.setString(2, row.key().text());
            valueColumn.bind(insert, 3, row.column());
            setInstant(insert, 4, row.expiresAt());
            setInstant(insert, 5, now);
            setIdle(insert, 6, row.idleMicros());
            return insert.executeUpdate() > 0;
        }
    }

    // Batches, inside the batch's transaction: the upsert and the delete run once per row.

    @Override
    public int upsertMany(Connection connection, List<NewRow> rows, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(this.upsert)) {
            for (NewRow row : rows) {
                bindNewRow(upsert, row, now, expiryNow);
                upsert.addBatch();
            }
            int written = 0;
            for (int count : upsert.executeBatch()) {
                written += count;
            }
            return written;
        }
    }

    // Atomic batches, in the batch's transaction: BEGIN IMMEDIATE took the database's one write lock, so no
    // other writer runs until it ends and the rows need no locks of their own, in any order.

    @Override
    public Map<Long, Boolean> lockOrInsert(
            Connection connection,
            List<BatchRow> inserts,
            long[] lockHashes,
            List<ScanOptions> selections,
            Instant now,
            Instant expiryNow)
            throws SQLException {
        Map<Long, Boolean> met = new HashMap<>();
        try (PreparedStatement insert = connection.prepareStatement(insertNew)) {
            for (BatchRow row : inserts) {
                if (met.containsKey(row.key().hash())) {
                    continue;
                }
                insert.setLong(1, row.key().hash());
                insert.setString(2, row.key().text());
                valueColumn.bind(insert, 3, row.column());
                setInstant(insert, 4, row.expiresAt());
                setInstant(insert, 5, now);
                setIdle(insert, 6, row.idleMicros());
                met.put(row.key().hash(), insert.executeUpdate() > 0);
            }
        }
        for (long hash : lockRows(connection, lockHashes, selections, expiryNow).keySet()) {
            met.putIfAbsent(hash, false);
        }
        return met;
    }

    @Override
    public Map<Long, StoredRow> lockRows(
            Connection connection, long[] lockHashes, List<ScanOptions> selections, Instant expiryNow)
            throws SQLException {
        LongStream.Builder hashes = LongStream.builder();
        LongStream.of(lockHashes).forEach(hashes);
        for (ScanOptions selection : selections) {
            SqliteScan.deletable(table, selection, expiryNow, valueColumn)
                    .hashes(connection)
                    .forEach(hashes::add);
        }
        return selectEntries(connection, hashes.build().distinct().toArray());
    }

    @Override
    public void rewriteAndDelete(Connection connection, List<BatchRow> rows, long[] deletes, Instant now)
            throws SQLException {
        try (PreparedStatement rewrite = connection.prepareStatement(this.rewrite)) {
            for (BatchRow row : rows) {
                rewrite.setLong(1, row.key().hash());
                rewrite.setString(2, row.key().text());
                valueColumn.bind(rewrite, 3, row.column());
                setInstant(rewrite, 4, row.expiresAt());
                setInstant(rewrite, 5, row.createdAt());
                setInstant(rewrite, 6, now);
                rewrite.setLong(7, row.version());
                setIdle(rewrite, 8, row.idleMicros());
                rewrite.addBatch();
            }
            rewrite.executeBatch();
        }
        for (long hash : deletes) {
            deleteRow(connection, hash);
        }
    }

    @Override
    public long deleteMany(Connection connection, List<HashedKey> keys, Instant expiryNow) throws SQLException {
        long live = 0;
        try (PreparedStatement delete = connection.prepareStatement(this.delete)) {
            for (HashedKey key : keys) {
                live += deletedLive(delete, key, expiryNow) ? 1 : 0;
            }
        }
        return live;
    }

    // Expiry. A row written again since it was met is live and stays.

    private static final String DELETE_EXPIRED_ROW =
            "DELETE FROM {table} WHERE key_hash = ?1 AND key = ?2 AND expires_at <= ?3";
    private final String deleteExpiredRow;

    @Override
    public int deleteExpired(Connection connection, HashedKey key, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteExpiredRow)) {
            delete.setLong(1, key.hash());
            delete.setString(2, key.text());
            setInstant(delete, 3, now);
            return delete.executeUpdate();
        }
    }

    private static final String DELETE_EXPIRED_ROWS =
            "DELETE FROM {table} WHERE key_hash IN (SELECT value FROM json_each(?1)) AND expires_at <= ?2";
    private final String deleteExpiredRows;

    @Override
    public int deleteExpired(Connection connection, long[] hashes, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteExpiredRows)) {
            delete.setString(1, jsonArray(hashes));
            setInstant(delete, 2, now);
            return delete.executeUpdate();
        }
    }

    /**
     * No {@code SKIP LOCKED}: the delete waits for the one writer like every other write, and holds
     * the database for one batch only.
     */
    private static final String DELETE_EXPIRED_BATCH =
            """
            DELETE FROM {table} WHERE key_hash IN (
              SELECT key_hash FROM {table} WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)
            """;

    private final String deleteExpiredBatch;

    @Override
    public int deleteExpiredBatch(Connection connection, Instant expiryNow, int limit) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteExpiredBatch)) {
            setInstant(delete, 1, expiryNow);
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }

    // Whole table.

    @Override
    public Scan scan(ScanOptions options, Projection projection, Instant expiryNow) {
        return SqliteScan.of(table, options, projection, expiryNow, valueColumn);
    }

    /** The bytes of a TEXT value are its UTF-8 encoding: CAST AS BLOB counts them, length() of text counts characters. */
    private static final String SIZE = "SELECT count(*), coalesce(sum(length(CAST(value AS BLOB))), 0) FROM {table}"
            + " WHERE expires_at IS NULL OR expires_at > ?1";

    private final String size;

    @Override
    public TableSize size(Connection connection, Instant expiryNow) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(size)) {
            setInstant(select, 1, expiryNow);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new TableSize(row.getLong(1), row.getLong(2));
            }
        }
    }

    @Override
    public boolean hasChangeStream(Connection connection) throws SQLException {
        return SqliteChangeStream.isPresent(connection, config);
    }

    @Override
    public ChangeStream changeStream(SqlExecutor executor, Clock clock) {
        return new SqliteChangeStream(executor, config, valueColumn, clock);
    }
}

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

/**
 * The statements of a PostgreSQL store: each statement's text beside the code that binds its
 * parameters and reads its rows. The text is a template; {@code {table}} becomes the schema-qualified
 * table, checked by {@link SqlIdentifier} when the configuration was built, and {@code {value}} the
 * value parameter ({@code CAST(? AS jsonb)} for {@link ValueFormat#JSONB}). Everything else is a
 * bound parameter.
 */
final class PostgresDialect implements SqlDialect {

    /** Columns of {@link StoredRow#read}, in order. */
    static final String ENTRY_COLUMNS = "key, value, expires_at, created_at, updated_at, version, idle_micros";

    static final String INSERT_ROW =
            "INSERT INTO {table} AS e (key_hash, key, value, expires_at, created_at, updated_at, version, idle_micros)";

    /**
     * How a write takes over the row at its hash; follows an INSERT of a new row, version 1, created
     * now. The row of this key or an expired row of any key is free to take: what is written over
     * an expired row is a new entry (version 1, created now), over a live one of this key a new
     * version. A live row of another key is a collision and leaves 0 rows affected. {@code
     * {newValue}} and {@code {newExpiry}} say what the taken row gets; after their parameters come
     * three, all the instant expiry is judged at ({@link #bindTakeOver}).
     */
    private static final String TAKE_OVER =
            """
            ON CONFLICT (key_hash) DO UPDATE SET
              key = EXCLUDED.key,
              value = {newValue},
              expires_at = {newExpiry},
              idle_micros = {newIdle},
              created_at = CASE WHEN e.expires_at <= ? THEN EXCLUDED.created_at ELSE e.created_at END,
              updated_at = EXCLUDED.updated_at,
              version = CASE WHEN e.expires_at <= ? THEN 1 ELSE e.version + 1 END
            WHERE e.key = EXCLUDED.key OR e.expires_at <= ?
            """;

    static final String REPLACE = TAKE_OVER
            .replace("{newValue}", "EXCLUDED.value")
            .replace("{newExpiry}", "EXCLUDED.expires_at")
            .replace("{newIdle}", "EXCLUDED.idle_micros");

    private final String table;
    private final boolean jsonb;
    private final ValueColumn valueColumn;
    private final KvConfig config;
    private final PostgresBatchStatements batches;

    PostgresDialect(KvConfig config) {
        String schema = SqlIdentifier.quote(SqlIdentifier.check("schema", config.schema()));
        this.table = schema + "." + SqlIdentifier.quote(SqlIdentifier.check("table", config.table()));
        this.jsonb = config.format() == ValueFormat.JSONB;
        this.valueColumn = ValueColumn.of(config.format());
        this.config = config;
        this.batches = new PostgresBatchStatements(this, valueColumn, jsonb);
        selectValue = sql(SELECT_VALUE);
        selectExpiry = sql(SELECT_EXPIRY);
        selectEntry = sql(SELECT_ENTRY);
        selectEntryForUpdate = selectEntry + " FOR UPDATE";
        selectEntries = sql(SELECT_ENTRIES);
        upsert = sql(UPSERT);
        insertIfAbsent = sql(INSERT_IF_ABSENT);
        setIfVersion = sql(SET_IF_VERSION);
        deleteIfVersion = sql(DELETE_IF_VERSION);
        delete = sql(DELETE);
        expire = sql(EXPIRE);
        persist = sql(PERSIST);
        refreshIdle = sql(REFRESH_IDLE);
        increment = sql(INCREMENT
                .replace("{newValue}", jsonb ? "to_jsonb" + SUM : "convert_to(" + SUM + "::text, 'UTF8')")
                .replace("{counterText}", jsonb ? JSONB_COUNTER_TEXT : BYTEA_COUNTER_TEXT));
        swap = sql(SWAP);
        getAndDelete = sql(GET_AND_DELETE);
        String lockValue = jsonb ? "CAST(" + LOCK_TEXT + " AS jsonb)" : "convert_to(" + LOCK_TEXT + ", 'UTF8')";
        lock = sql(LOCK.replace("{tokenOf}", jsonb ? JSONB_TOKEN_OF : BYTEA_TOKEN_OF)
                .replace(
                        "{lockValueOverOld}",
                        lockValue.replace("{previousToken}", "old.token").replace("{wal}", WAL))
                .replace(
                        "{newLockValue}",
                        lockValue.replace("{previousToken}", "NULL").replace("{wal}", SERIALISED_WAL)));
        deleteRow = sql(DELETE_ROW);
        rewrite = sql(REWRITE);
        insertNew = sql(INSERT_NEW);
        deleteExpiredRow = sql(DELETE_EXPIRED_ROW);
        deleteExpiredBatch = sql(DELETE_EXPIRED_BATCH);
        size = sql(SIZE.replace("{valueText}", jsonb ? "value::text" : "value"));
    }

    /** The statement of {@code template} for this table and value format. */
    String sql(String template) {
        return template.replace("{table}", table).replace("{value}", jsonb ? "CAST(? AS jsonb)" : "?");
    }

    @Override
    public Object toColumn(byte[] value) {
        return valueColumn.toColumn(value);
    }

    // Point reads. get needs no timestamps or version, exists and ttl not the value, which can be a megabyte.

    private static final String SELECT_VALUE =
            "SELECT key, value, expires_at, idle_micros FROM {table} WHERE key_hash = ?";
    private final String selectValue;

    @Override
    public StoredRow selectValue(Connection connection, long hash) throws SQLException {
        return selectRow(connection, selectValue, hash, StoredRow::readHead);
    }

    private static final String SELECT_EXPIRY =
            "SELECT key, NULL, expires_at, idle_micros FROM {table} WHERE key_hash = ?";
    private final String selectExpiry;

    @Override
    public StoredRow selectExpiry(Connection connection, long hash) throws SQLException {
        return selectRow(connection, selectExpiry, hash, StoredRow::readHead);
    }

    private static final String SELECT_ENTRY = "SELECT " + ENTRY_COLUMNS + " FROM {table} WHERE key_hash = ?";
    private final String selectEntry;
    private final String selectEntryForUpdate;

    @Override
    public StoredRow selectEntry(Connection connection, long hash) throws SQLException {
        return selectRow(connection, selectEntry, hash, StoredRow::read);
    }

    @Override
    public StoredRow selectEntryForUpdate(Connection connection, long hash) throws SQLException {
        return selectRow(connection, selectEntryForUpdate, hash, StoredRow::read);
    }

    private interface RowReader {
        StoredRow read(ResultSet row, ValueColumn valueColumn) throws SQLException;
    }

    /** Runs a point read of one hash; the row as {@code reader} reads it, or null. */
    private StoredRow selectRow(Connection connection, String sql, long hash, RowReader reader) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, hash);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? reader.read(row, valueColumn) : null;
            }
        }
    }

    /** The entry columns, then key_hash: the key each row answers, without hashing its key again. */
    private static final String SELECT_ENTRIES =
            "SELECT " + ENTRY_COLUMNS + ", key_hash FROM {table} WHERE key_hash = ANY (?)";

    private final String selectEntries;

    @Override
    public Map<Long, StoredRow> selectEntries(Connection connection, long[] hashes) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(selectEntries)) {
            select.setArray(1, PostgresBatchStatements.bigints(connection, hashes));
            Map<Long, StoredRow> found = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getLong(8), StoredRow.read(rows, valueColumn));
                }
            }
            return found;
        }
    }

    // Single-key writes.

    private static final String UPSERT = INSERT_ROW + " VALUES (?, ?, {value}, ?, ?, ?, 1, ?)\n" + REPLACE;
    private final String upsert;

    @Override
    public boolean upsert(Connection connection, NewRow row, Instant now, Instant expiryNow) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(this.upsert)) {
            bindNewRow(upsert, 1, row, now);
            bindTakeOver(upsert, 8, expiryNow);
            return upsert.executeUpdate() > 0;
        }
    }

    /**
     * Binds key_hash, key, value, expires_at, created_at and updated_at (both now) and, after the version,
     * idle_micros from {@code index} on: seven parameters.
     */
    private void bindNewRow(PreparedStatement statement, int index, NewRow row, Instant now) throws SQLException {
        statement.setLong(index, row.key().hash());
        statement.setString(index + 1, row.key().text());
        valueColumn.bind(statement, index + 2, row.column());
        setInstant(statement, index + 3, row.expiresAt());
        setInstant(statement, now, index + 4, index + 5);
        setIdle(statement, index + 6, row.idleMicros());
    }

    private static void setIdle(PreparedStatement statement, int index, Long idleMicros) throws SQLException {
        if (idleMicros == null) {
            statement.setNull(index, java.sql.Types.BIGINT);
        } else {
            statement.setLong(index, idleMicros);
        }
    }

    /** Binds the three parameters of {@link #TAKE_OVER} from {@code index} on. */
    static void bindTakeOver(PreparedStatement statement, int index, Instant expiryNow) throws SQLException {
        setInstant(statement, expiryNow, index, index + 1, index + 2);
    }

    /**
     * Unlike {@link #TAKE_OVER}, takes over only an expired row. Returns the version written (null if
     * nothing was) and the key and version of the row that was there before, to tell "present" from
     * a collision.
     */
    private static final String INSERT_IF_ABSENT =
            """
            WITH previous AS (SELECT key, version FROM {table} WHERE key_hash = ?),
            written AS (
              %s VALUES (?, ?, {value}, ?, ?, ?, 1, ?)
              ON CONFLICT (key_hash) DO UPDATE SET
                key = EXCLUDED.key,
                value = EXCLUDED.value,
                expires_at = EXCLUDED.expires_at,
                idle_micros = EXCLUDED.idle_micros,
                created_at = EXCLUDED.created_at,
                updated_at = EXCLUDED.updated_at,
                version = 1
              WHERE e.expires_at <= ?
              RETURNING version)
            SELECT (SELECT version FROM written), (SELECT key FROM previous), (SELECT version FROM previous)
            """
                    .formatted(INSERT_ROW);

    private final String insertIfAbsent;

    @Override
    public Insertion insertIfAbsent(Connection connection, NewRow row, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertIfAbsent)) {
            insert.setLong(1, row.key().hash());
            bindNewRow(insert, 2, row, now);
            setInstant(insert, 9, expiryNow);
            try (ResultSet result = insert.executeQuery()) {
                result.next();
                long written = result.getLong(1);
                boolean wasWritten = !result.wasNull();
                return new Insertion(wasWritten ? written : null, result.getString(2), result.getLong(3));
            }
        }
    }

    private static final String LIVE_ROW_OF_KEY = "key_hash = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)";

    private static final String SET_IF_VERSION =
            "UPDATE {table} SET value = {value}, updated_at = ?, version = version + 1 WHERE " + LIVE_ROW_OF_KEY
                    + " AND version = ? RETURNING version";
    private final String setIfVersion;

    @Override
    public Long setIfVersion(
            Connection connection, HashedKey key, Object column, long expectedVersion, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(setIfVersion)) {
            valueColumn.bind(update, 1, column);
            setInstant(update, 2, now);
            bindLiveRowOfKey(update, 3, key, expiryNow);
            update.setLong(6, expectedVersion);
            try (ResultSet written = update.executeQuery()) {
                return written.next() ? written.getLong(1) : null;
            }
        }
    }

    /** Binds the three parameters of {@link #LIVE_ROW_OF_KEY} from {@code index} on. */
    private static void bindLiveRowOfKey(PreparedStatement statement, int index, HashedKey key, Instant expiryNow)
            throws SQLException {
        statement.setLong(index, key.hash());
        statement.setString(index + 1, key.text());
        setInstant(statement, index + 2, expiryNow);
    }

    private static final String DELETE_IF_VERSION = "DELETE FROM {table} WHERE " + LIVE_ROW_OF_KEY + " AND version = ?";
    private final String deleteIfVersion;

    @Override
    public boolean deleteIfVersion(Connection connection, HashedKey key, long expectedVersion, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(deleteIfVersion)) {
            bindLiveRowOfKey(delete, 1, key, expiryNow);
            delete.setLong(4, expectedVersion);
            return delete.executeUpdate() > 0;
        }
    }

    /** Returns the expiry of the deleted row, to tell a live entry from an expired leftover. */
    private static final String DELETE = "DELETE FROM {table} WHERE key_hash = ? AND key = ? RETURNING expires_at";

    private final String delete;

    @Override
    public boolean delete(Connection connection, HashedKey key, Instant expiryNow) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(this.delete)) {
            delete.setLong(1, key.hash());
            delete.setString(2, key.text());
            try (ResultSet deleted = delete.executeQuery()) {
                return deleted.next() && isLive(getInstant(deleted, 1), expiryNow);
            }
        }
    }

    static boolean isLive(Instant expiresAt, Instant expiryNow) {
        return expiresAt == null || expiresAt.isAfter(expiryNow);
    }

    private static final String EXPIRE =
            "UPDATE {table} SET expires_at = ?, idle_micros = ?, updated_at = ?, version = version + 1 WHERE "
                    + LIVE_ROW_OF_KEY;

    private final String expire;

    @Override
    public boolean expire(
            Connection connection, HashedKey key, Instant expiresAt, Long idleMicros, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement expire = connection.prepareStatement(this.expire)) {
            setInstant(expire, 1, expiresAt);
            setIdle(expire, 2, idleMicros);
            setInstant(expire, 3, now);
            bindLiveRowOfKey(expire, 4, key, expiryNow);
            return expire.executeUpdate() == 1;
        }
    }

    private static final String REFRESH_IDLE =
            "UPDATE {table} SET expires_at = ? WHERE key_hash = ? AND key = ? AND expires_at = ? AND idle_micros > 0";

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

    private static final String PERSIST =
            """
            UPDATE {table} SET expires_at = NULL, idle_micros = NULL, updated_at = ?, version = version + 1
            WHERE key_hash = ? AND key = ? AND expires_at > ?
            """;
    private final String persist;

    @Override
    public boolean persist(Connection connection, HashedKey key, Instant now, Instant expiryNow) throws SQLException {
        try (PreparedStatement persist = connection.prepareStatement(this.persist)) {
            setInstant(persist, 1, now);
            persist.setLong(2, key.hash());
            persist.setString(3, key.text());
            setInstant(persist, 4, expiryNow);
            return persist.executeUpdate() == 1;
        }
    }

    // increment: a value that is not an integer that fits a long becomes NULL (refused by NOT NULL)
    // or fails its conversion, and bigint addition fails on overflow, so nothing is written in
    // either case. Up to 18 digits always fit; longer numbers are range-checked as numeric first.

    private static final String JSONB_COUNTER_TEXT =
            "CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value #>> '{}' END";
    private static final String BYTEA_COUNTER_TEXT = "btrim(convert_from(e.value, 'UTF8'), E' \\t\\n\\r')";

    /** The stored counter plus the parameter delta. */
    private static final String SUM =
            """
            (CASE WHEN ({counterText}) ~ '^-?[0-9]{1,18}$' THEN ({counterText})::bigint
              WHEN ({counterText}) ~ '^-?[0-9]+$'
                AND ({counterText})::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
              THEN ({counterText})::bigint END + ?)""";

    /**
     * An expired row is taken over as a new counter of delta with the store's default expiry; a live one is
     * added to, keeping its expiry.
     */
    private static final String INCREMENT = INSERT_ROW + " VALUES (?, ?, {value}, ?, ?, ?, 1, ?)\n"
            + TAKE_OVER
                    .replace("{newValue}", "CASE WHEN e.expires_at <= ? THEN EXCLUDED.value ELSE {newValue} END")
                    .replace(
                            "{newExpiry}", "CASE WHEN e.expires_at <= ? THEN EXCLUDED.expires_at ELSE e.expires_at END")
                    .replace(
                            "{newIdle}", "CASE WHEN e.expires_at <= ? THEN EXCLUDED.idle_micros ELSE e.idle_micros END")
            + "RETURNING value";

    private final String increment;

    @Override
    public Long increment(
            Connection connection, HashedKey key, long delta, WrittenExpiry newExpiry, Instant now, Instant expiryNow)
            throws SQLException {
        try (PreparedStatement increment = connection.prepareStatement(this.increment)) {
            NewRow row = new NewRow(
                    key, valueColumn.toColumn(Long.toString(delta).getBytes(StandardCharsets.US_ASCII)), newExpiry);
            bindNewRow(increment, 1, row, now);
            setInstant(increment, 8, expiryNow);
            increment.setLong(9, delta);
            setInstant(increment, expiryNow, 10, 11);
            bindTakeOver(increment, 12, expiryNow);
            try (ResultSet written = increment.executeQuery()) {
                return written.next()
                        ? Long.parseLong(new String(valueColumn.read(written, 1), StandardCharsets.US_ASCII))
                        : null;
            }
        }
    }

    // Read-modify-write in one statement: p binds every parameter once, by name; old locks the row at the hash
    // (READ COMMITTED: its newest version) and says whether it is live; the writes that follow see that row.

    private static final String LOCKED_ROW =
            """
            old AS (
              SELECT e.key, e.value, e.expires_at, e.idle_micros, e.expires_at IS NULL OR e.expires_at > p.expiry_now AS live
              FROM {table} e, p WHERE e.key_hash = p.hash FOR UPDATE OF e)
            """;

    private static final String SWAP =
            """
            WITH p AS (
              SELECT CAST(? AS bigint) AS hash, CAST(? AS text) AS key, {value} AS value, {value} AS expected,
                CAST(? AS timestamptz) AS expires_at, CAST(? AS boolean) AS keep_expiry, CAST(? AS text) AS condition,
                CAST(? AS timestamptz) AS now, CAST(? AS timestamptz) AS expiry_now, CAST(? AS bigint) AS idle_micros),
            %s,
            swapped AS (
              UPDATE {table} e SET key = p.key, value = p.value,
                expires_at = CASE WHEN old.live AND p.keep_expiry THEN e.expires_at ELSE p.expires_at END,
                idle_micros = CASE WHEN old.live AND p.keep_expiry THEN e.idle_micros ELSE p.idle_micros END,
                created_at = CASE WHEN old.live THEN e.created_at ELSE p.now END,
                updated_at = p.now,
                version = CASE WHEN old.live THEN e.version + 1 ELSE 1 END
              FROM p, old
              WHERE e.key_hash = p.hash AND CASE p.condition
                WHEN 'ANY' THEN old.key = p.key OR NOT old.live
                WHEN 'ABSENT' THEN NOT old.live
                ELSE old.live AND old.key = p.key AND old.value = p.expected END
              RETURNING 1),
            created AS (
              INSERT INTO {table} (key_hash, key, value, expires_at, created_at, updated_at, version, idle_micros)
              SELECT p.hash, p.key, p.value, p.expires_at, p.now, p.now, 1, p.idle_micros FROM p
              WHERE p.condition <> 'VALUE' AND NOT EXISTS (SELECT FROM old)
              ON CONFLICT (key_hash) DO NOTHING
              RETURNING 1)
            SELECT old.key,
              CASE WHEN old.live AND (p.condition = 'ANY' OR NOT EXISTS (SELECT FROM swapped)) THEN old.value END,
              old.expires_at, old.idle_micros,
              EXISTS (SELECT FROM swapped) OR EXISTS (SELECT FROM created)
            FROM p LEFT JOIN old ON true
            """
                    .formatted(LOCKED_ROW);

    private final String swap;

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
        try (PreparedStatement swap = connection.prepareStatement(this.swap)) {
            swap.setLong(1, row.key().hash());
            swap.setString(2, row.key().text());
            valueColumn.bind(swap, 3, row.column());
            valueColumn.bind(swap, 4, expected);
            setInstant(swap, 5, row.expiresAt());
            swap.setBoolean(6, keepExpiry);
            swap.setString(7, condition.name());
            setInstant(swap, now, 8);
            setInstant(swap, expiryNow, 9);
            setIdle(swap, 10, row.idleMicros());
            try (ResultSet result = swap.executeQuery()) {
                result.next();
                StoredRow previous = result.getString(1) == null ? null : StoredRow.readHead(result, valueColumn);
                return new Swapped(previous, result.getBoolean(5));
            }
        }
    }

    private static final String GET_AND_DELETE =
            """
            WITH p AS (SELECT CAST(? AS bigint) AS hash, CAST(? AS text) AS key, CAST(? AS timestamptz) AS expiry_now),
            %s,
            deleted AS (DELETE FROM {table} e USING p, old WHERE e.key_hash = p.hash AND (old.key = p.key OR NOT old.live))
            SELECT old.key, CASE WHEN old.live THEN old.value END, old.expires_at, old.idle_micros FROM old
            """
                    .formatted(LOCKED_ROW);

    private final String getAndDelete;

    @Override
    public StoredRow getAndDelete(Connection connection, HashedKey key, Instant expiryNow) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(getAndDelete)) {
            delete.setLong(1, key.hash());
            delete.setString(2, key.text());
            setInstant(delete, 3, expiryNow);
            try (ResultSet row = delete.executeQuery()) {
                return row.next() ? StoredRow.readHead(row, valueColumn) : null;
            }
        }
    }

    // Locks. A lock's value is LockValue's text, {"owner":<owner as JSON>,"token":<digits>}: p.prefix is it up to
    // the digits. {tokenOf} reads a row's token if the row is this owner's lock, else null. A new token comes
    // after the row lock, from the WAL insert position: every write and commit moves it on, so it is past every
    // token drawn before the lock was last written or deleted, by any session; GREATEST keeps it past the
    // row's own token too.

    private static final String JSONB_TOKEN_OF =
            """
            CASE WHEN e.value -> 'owner' = CAST(p.owner_json AS jsonb) AND jsonb_typeof(e.value -> 'token') = 'number'
              AND (e.value ->> 'token') ~ '^[0-9]{1,18}$' THEN (e.value ->> 'token')::bigint END""";

    private static final String BYTEA_TOKEN_OF =
            """
            CASE WHEN substring(e.value FROM 1 FOR octet_length(p.prefix)) = p.prefix
              AND encode(substring(e.value FROM octet_length(p.prefix) + 1), 'escape') ~ '^[0-9]{1,18}[}]$'
              THEN rtrim(encode(substring(e.value FROM octet_length(p.prefix) + 1), 'escape'), '}')::bigint END""";

    private static final String LOCK_TEXT =
            "convert_from(p.prefix, 'UTF8') || GREATEST(coalesce({previousToken}, 0) + 1, {wal}) || '}'";

    private static final String WAL = "(pg_current_wal_insert_lsn() - '0/0')::bigint";

    /**
     * With no row to lock, another session could insert the lock and delete it again between this statement's
     * snapshot and its insert, with a later token. A transaction-scoped advisory lock of the hash, taken before
     * the position is read, orders this insert after such a session's commit, or that session after this one.
     */
    private static final String SERIALISED_WAL =
            "(SELECT " + WAL + " FROM (SELECT pg_advisory_xact_lock(27511, hashint8(p.hash))) AS serialised)";

    private static final String LOCK =
            """
            WITH p AS (
              SELECT CAST(? AS bigint) AS hash, CAST(? AS text) AS key, CAST(? AS text) AS action,
                CAST(? AS text) AS owner_json, convert_to(CAST(? AS text), 'UTF8') AS prefix, CAST(? AS bigint) AS token,
                CAST(? AS timestamptz) AS expires_at, CAST(? AS timestamptz) AS now, CAST(? AS timestamptz) AS expiry_now),
            old AS (
              SELECT e.key, e.expires_at, e.idle_micros, e.expires_at IS NULL OR e.expires_at > p.expiry_now AS live,
                {tokenOf} AS token
              FROM {table} e, p WHERE e.key_hash = p.hash FOR UPDATE OF e),
            written AS (
              UPDATE {table} e SET key = p.key,
                value = CASE WHEN old.live THEN e.value ELSE {lockValueOverOld} END,
                expires_at = p.expires_at,
                idle_micros = NULL,
                created_at = CASE WHEN old.live THEN e.created_at ELSE p.now END,
                updated_at = p.now,
                version = CASE WHEN old.live THEN e.version + 1 ELSE 1 END
              FROM p, old
              WHERE e.key_hash = p.hash AND CASE p.action
                WHEN 'ACQUIRE' THEN NOT old.live OR (old.key = p.key AND old.token IS NOT NULL)
                WHEN 'RENEW' THEN old.live AND old.key = p.key AND old.token = p.token
                ELSE false END
              RETURNING e.value),
            created AS (
              INSERT INTO {table} (key_hash, key, value, expires_at, created_at, updated_at, version)
              SELECT p.hash, p.key, {newLockValue}, p.expires_at, p.now, p.now, 1
              FROM p
              WHERE p.action = 'ACQUIRE' AND NOT EXISTS (SELECT FROM old)
              ON CONFLICT (key_hash) DO NOTHING
              RETURNING value),
            released AS (
              DELETE FROM {table} e USING p, old
              WHERE e.key_hash = p.hash AND p.action = 'RELEASE' AND old.live AND old.key = p.key AND old.token = p.token
              RETURNING 1)
            SELECT old.key, NULL, old.expires_at, old.idle_micros,
              coalesce((SELECT value FROM written), (SELECT value FROM created)), EXISTS (SELECT FROM released)
            FROM p LEFT JOIN old ON true
            """;

    private final String lock;

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
        try (PreparedStatement lock = connection.prepareStatement(this.lock)) {
            lock.setLong(1, key.hash());
            lock.setString(2, key.text());
            lock.setString(3, action.name());
            lock.setString(4, LockValue.ownerJson(owner));
            lock.setString(5, LockValue.prefix(owner));
            lock.setLong(6, token);
            setInstant(lock, 7, expiresAt);
            setInstant(lock, now, 8);
            setInstant(lock, expiryNow, 9);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                StoredRow previous = result.getString(1) == null ? null : StoredRow.readHead(result, valueColumn);
                return new Locked(previous, valueColumn.read(result, 5), result.getBoolean(6));
            }
        }
    }

    // Inside update(), on the row locked by selectEntryForUpdate.

    private static final String DELETE_ROW = "DELETE FROM {table} WHERE key_hash = ?";
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
            UPDATE {table} SET key = ?, value = {value}, expires_at = ?, created_at = ?, updated_at = ?, version = ?,
              idle_micros = ?
            WHERE key_hash = ?
            """;
    private final String rewrite;

    @Override
    public void rewrite(Connection connection, NewRow row, Instant createdAt, Instant now, long version)
            throws SQLException {
        try (PreparedStatement rewrite = connection.prepareStatement(this.rewrite)) {
            rewrite.setString(1, row.key().text());
            valueColumn.bind(rewrite, 2, row.column());
            setInstant(rewrite, 3, row.expiresAt());
            setInstant(rewrite, 4, createdAt);
            setInstant(rewrite, 5, now);
            rewrite.setLong(6, version);
            setIdle(rewrite, 7, row.idleMicros());
            rewrite.setLong(8, row.key().hash());
            rewrite.executeUpdate();
        }
    }

    private static final String INSERT_NEW =
            INSERT_ROW + " VALUES (?, ?, {value}, ?, ?, ?, 1, ?) ON CONFLICT (key_hash) DO NOTHING";
    private final String insertNew;

    @Override
    public boolean insertNew(Connection connection, NewRow row, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertNew)) {
            bindNewRow(insert, 1, row, now);
            return insert.executeUpdate() > 0;
        }
    }

    // Batches: their own class.

    @Override
    public int upsertMany(Connection connection, List<NewRow> rows, Instant now, Instant expiryNow)
            throws SQLException {
        return batches.upsertMany(connection, rows, now, expiryNow);
    }

    @Override
    public Map<Long, Boolean> lockOrInsert(
            Connection connection,
            List<BatchRow> inserts,
            long[] lockHashes,
            List<ScanOptions> selections,
            Instant now,
            Instant expiryNow)
            throws SQLException {
        return batches.lockOrInsert(connection, inserts, lockHashes, selections, now, expiryNow);
    }

    @Override
    public Map<Long, StoredRow> lockRows(
            Connection connection, long[] lockHashes, List<ScanOptions> selections, Instant expiryNow)
            throws SQLException {
        return batches.lockRows(connection, lockHashes, selections, expiryNow);
    }

    @Override
    public void rewriteAndDelete(Connection connection, List<BatchRow> rows, long[] deletes, Instant now)
            throws SQLException {
        batches.rewriteAndDelete(connection, rows, deletes, now);
    }

    @Override
    public long deleteMany(Connection connection, List<HashedKey> keys, Instant expiryNow) throws SQLException {
        return batches.deleteMany(connection, keys, expiryNow);
    }

    @Override
    public int deleteExpired(Connection connection, long[] hashes, Instant now) throws SQLException {
        return batches.deleteExpired(connection, hashes, now);
    }

    // Expiry. A row written again since it was met is live and stays.

    private static final String DELETE_EXPIRED_ROW =
            "DELETE FROM {table} WHERE key_hash = ? AND key = ? AND expires_at <= ?";
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

    /**
     * The batch is collected into an array first: with IN (subquery) a generic plan hash-joins the
     * batch against a sequential scan of the whole table.
     */
    private static final String DELETE_EXPIRED_BATCH =
            """
            DELETE FROM {table} WHERE key_hash = ANY (ARRAY(
              SELECT key_hash FROM {table} WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED))
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
        return PostgresScan.of(table, options, projection, expiryNow, valueColumn);
    }

    private static final String SIZE = "SELECT count(*), coalesce(sum(octet_length({valueText})), 0) FROM {table}"
            + " WHERE expires_at IS NULL OR expires_at > ?";
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
        return PostgresChangeStream.isPresent(connection, config);
    }

    @Override
    public ChangeStream changeStream(SqlExecutor executor, Clock clock) {
        return new PostgresChangeStream(executor, config, valueColumn, clock);
    }
}

package dev.kv.bench;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.internal.SqlIdentifier;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Creates benchmark tables with kv's own migrations (so kv and raw JDBC run on the same shape) and
 * fills them in the database, with {@code key_hash} computed by SQL exactly as kv's SHA-256 hasher
 * computes it: the first eight bytes of the digest of the UTF-8 key, big-endian, signed.
 */
final class BenchTables {

    /** Value format of every benchmark table: bytes in, bytes out, as with Redis. */
    static final ValueFormat FORMAT = ValueFormat.BYTEA;

    private static final String HASH =
            "('x' || left(encode(sha256(convert_to(k, 'UTF8')), 'hex'), 16))::bit(64)::bigint";

    /** 64 bytes that differ per key. */
    private static final String VALUE = "decode(md5(k) || md5(k || 'a') || md5(k || 'b') || md5(k || 'c'), 'hex')";

    private final DataSource dataSource;

    BenchTables(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static KvConfig config(String table, boolean unlogged) {
        return KvConfig.builder()
                .schema(BenchSettings.SCHEMA)
                .table(table)
                .format(FORMAT)
                .unlogged(unlogged)
                .build();
    }

    /** Creates the table if needed and leaves exactly {@code live} keys in it, none expiring. */
    void refill(String table, boolean unlogged, int live) {
        refill(table, unlogged, live, 0);
    }

    /** Adds {@link BenchKeys#COUNTERS} counters at 0 ({@link BenchKeys#counterKey}) to a filled table. */
    void addCounters(String table) {
        String t = SqlIdentifier.quote(BenchSettings.SCHEMA) + "."
                + SqlIdentifier.quote(SqlIdentifier.check("table", table));
        String insert =
                """
                INSERT INTO %s (key_hash, key, value, expires_at, created_at, updated_at, version)
                SELECT %s, k, convert_to('0', 'UTF8'), NULL, now(), now(), 1
                FROM (SELECT ? || lpad(i::text, 7, '0') AS k FROM generate_series(0, ? - 1) AS i) AS keys
                """
                        .formatted(t, HASH);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(insert)) {
            s.setString(1, "ctr:");
            s.setInt(2, BenchKeys.COUNTERS);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not add counters to " + t, e);
        }
    }

    /**
     * Creates the table if needed and leaves {@code live} keys ({@link BenchKeys#key}) and
     * {@code expired} rows that expired an hour ago ({@code exp:…}) in it.
     */
    void refill(String table, boolean unlogged, int live, int expired) {
        KvMigrations.update(
                dataSource, new KvTableDefinition(BenchSettings.SCHEMA, table, unlogged, FORMAT.columnType()));
        String t = SqlIdentifier.quote(BenchSettings.SCHEMA) + "."
                + SqlIdentifier.quote(SqlIdentifier.check("table", table));
        String insert =
                """
                INSERT INTO %s (key_hash, key, value, expires_at, created_at, updated_at, version)
                SELECT %s, k, %s, %s, now(), now(), 1
                FROM (SELECT ? || lpad(i::text, 7, '0') AS k FROM generate_series(0, ? - 1) AS i) AS keys
                """;
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE " + t);
            }
            try (PreparedStatement s = c.prepareStatement(insert.formatted(t, HASH, VALUE, "NULL::timestamptz"))) {
                s.setString(1, "key:");
                s.setInt(2, live);
                s.executeUpdate();
            }
            if (expired > 0) {
                try (PreparedStatement s =
                        c.prepareStatement(insert.formatted(t, HASH, VALUE, "now() - interval '1 hour'"))) {
                    s.setString(1, "exp:");
                    s.setInt(2, expired);
                    s.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE " + t);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not fill " + t, e);
        }
    }
}

package dev.kv.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KeyHasher;
import dev.kv.internal.SqlIdentifier;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The raw JDBC baseline: the least work PostgreSQL and its driver need for each operation on kv's
 * table shape. One prepared statement per operation on an autocommit connection of the same pool
 * kv gets; {@code update} is the one transaction (lock, rewrite, commit) an atomic read-modify-write
 * needs, and {@code setMany} one array upsert in a transaction, as kv runs it. Keys are hashed with
 * kv's hasher, because {@code key_hash} is the primary key. Counters are decimal text in the
 * {@code bytea} value, as kv keeps them.
 */
final class JdbcOperations implements KvOperations {

    private final HikariDataSource pool;
    private final KeyHasher hasher = KeyHasher.sha256();
    private final String select;
    private final String exists;
    private final String upsert;
    private final String delete;
    private final String selectForUpdate;
    private final String rewrite;
    private final String keysBetween;
    private final String selectMany;
    private final String upsertMany;
    private final String increment;
    private final String firstPage;
    private final String nextPage;

    JdbcOperations(HikariDataSource pool, String schema, String table) {
        this.pool = pool;
        String t = SqlIdentifier.quote(schema) + "." + SqlIdentifier.quote(table);
        String live = "key_hash = ? AND key = ? AND (expires_at IS NULL OR expires_at > now())";
        select = "SELECT value FROM " + t + " WHERE " + live;
        exists = "SELECT 1 FROM " + t + " WHERE " + live;
        upsert =
                """
                INSERT INTO %s (key_hash, key, value, expires_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, now(), now())
                ON CONFLICT (key_hash) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at,
                  updated_at = EXCLUDED.updated_at
                """
                        .formatted(t);
        delete = "DELETE FROM " + t + " WHERE key_hash = ? AND key = ?";
        selectForUpdate = select + " FOR UPDATE";
        rewrite = "UPDATE " + t + " SET value = ?, updated_at = now() WHERE key_hash = ?";
        keysBetween = "SELECT key FROM " + t
                + " WHERE (expires_at IS NULL OR expires_at > now()) AND key >= ? AND key < ? ORDER BY key";
        selectMany = "SELECT key, value FROM " + t
                + " WHERE key_hash = ANY (?) AND (expires_at IS NULL OR expires_at > now())";
        upsertMany =
                """
                INSERT INTO %s (key_hash, key, value, expires_at, created_at, updated_at)
                SELECT b.key_hash, b.key, b.value, NULL, now(), now()
                FROM unnest(?::bigint[], ?::text[], ?::bytea[]) AS b(key_hash, key, value)
                ON CONFLICT (key_hash) DO UPDATE SET value = EXCLUDED.value, expires_at = NULL,
                  updated_at = EXCLUDED.updated_at
                """
                        .formatted(t);
        increment =
                """
                INSERT INTO %s AS e (key_hash, key, value, expires_at, created_at, updated_at)
                VALUES (?, ?, ?, NULL, now(), now())
                ON CONFLICT (key_hash) DO UPDATE SET
                  value = convert_to((convert_from(e.value, 'UTF8')::bigint + ?)::text, 'UTF8'), updated_at = now()
                RETURNING value
                """
                        .formatted(t);
        String page =
                "SELECT key FROM " + t + " WHERE (expires_at IS NULL OR expires_at > now()) AND key >= ? AND key < ?";
        firstPage = page + " ORDER BY key LIMIT ?";
        nextPage = page + " AND key > ? ORDER BY key LIMIT ?";
    }

    private long hash(String key) {
        return hasher.hash(key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] get(String key) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(select)) {
            s.setLong(1, hash(key));
            s.setString(2, key);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("get " + key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(exists)) {
            s.setLong(1, hash(key));
            s.setString(2, key);
            try (ResultSet row = s.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("exists " + key, e);
        }
    }

    @Override
    public void set(String key, byte[] value) {
        upsert(key, value, null);
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        upsert(key, value, OffsetDateTime.now(ZoneOffset.UTC).plus(ttl));
    }

    private void upsert(String key, byte[] value, OffsetDateTime expiresAt) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(upsert)) {
            s.setLong(1, hash(key));
            s.setString(2, key);
            s.setBytes(3, value);
            if (expiresAt == null) {
                s.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                s.setObject(4, expiresAt);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("set " + key, e);
        }
    }

    @Override
    public boolean delete(String key) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(delete)) {
            s.setLong(1, hash(key));
            s.setString(2, key);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("delete " + key, e);
        }
    }

    /** Only rewrites a key that exists: the benchmark updates pre-filled keys. */
    @Override
    public byte[] update(String key, UnaryOperator<byte[]> fn) {
        long hash = hash(key);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                byte[] next = null;
                try (PreparedStatement s = c.prepareStatement(selectForUpdate)) {
                    s.setLong(1, hash);
                    s.setString(2, key);
                    try (ResultSet row = s.executeQuery()) {
                        if (row.next()) {
                            next = fn.apply(row.getBytes(1));
                        }
                    }
                }
                if (next != null) {
                    try (PreparedStatement s = c.prepareStatement(rewrite)) {
                        s.setBytes(1, next);
                        s.setLong(2, hash);
                        s.executeUpdate();
                    }
                }
                c.commit();
                return next;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("update " + key, e);
        }
    }

    /** Only for prefixes whose last character can be incremented, as the benchmark's are. */
    private static String upperBound(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }

    @Override
    public List<String> keys(String prefix) {
        String upper = upperBound(prefix);
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(keysBetween)) {
            s.setString(1, prefix);
            s.setString(2, upper);
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("keys " + prefix, e);
        }
    }

    /** Rows are looked up by hash and kept only if their key is one asked for, as a collision demands. */
    @Override
    public Map<String, byte[]> getMany(List<String> keys) {
        Object[] hashes = new Object[keys.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = hash(keys.get(i));
        }
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(selectMany)) {
            s.setArray(1, c.createArrayOf("bigint", hashes));
            Map<String, byte[]> found = new HashMap<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getString(1), rows.getBytes(2));
                }
            }
            Map<String, byte[]> values = new HashMap<>();
            for (String key : keys) {
                byte[] value = found.get(key);
                if (value != null) {
                    values.put(key, value);
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("getMany of " + keys.size(), e);
        }
    }

    /** One upsert of arrays sorted by key_hash, so concurrent batches lock rows in one order. */
    @Override
    public void setMany(Map<String, byte[]> entries) {
        record Row(long hash, String key, byte[] value) {}
        Row[] rows = entries.entrySet().stream()
                .map(e -> new Row(hash(e.getKey()), e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(Row::hash))
                .toArray(Row[]::new);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(upsertMany)) {
                s.setArray(
                        1,
                        c.createArrayOf(
                                "bigint", Arrays.stream(rows).map(Row::hash).toArray()));
                s.setArray(
                        2,
                        c.createArrayOf(
                                "text", Arrays.stream(rows).map(Row::key).toArray()));
                s.setArray(
                        3,
                        c.createArrayOf(
                                "bytea", Arrays.stream(rows).map(Row::value).toArray(byte[][]::new)));
                s.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("setMany of " + entries.size(), e);
        }
    }

    @Override
    public long increment(String key, long delta) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(increment)) {
            s.setLong(1, hash(key));
            s.setString(2, key);
            s.setBytes(3, Long.toString(delta).getBytes(StandardCharsets.US_ASCII));
            s.setLong(4, delta);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return Long.parseLong(new String(row.getBytes(1), StandardCharsets.US_ASCII));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("increment " + key, e);
        }
    }

    @Override
    public List<String> keysPage(String prefix, String after, int limit) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement(after == null ? firstPage : nextPage)) {
            s.setString(1, prefix);
            s.setString(2, upperBound(prefix));
            int next = 3;
            if (after != null) {
                s.setString(next++, after);
            }
            s.setInt(next, limit);
            List<String> keys = new ArrayList<>(limit);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("keysPage " + prefix, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

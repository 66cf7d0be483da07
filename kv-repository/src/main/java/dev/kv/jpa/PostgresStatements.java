package dev.kv.jpa;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.migrations.SqlIdentifier;

/**
 * Every SQL statement of a PostgreSQL store. The only text put into them is the schema and table
 * name, checked by {@link SqlIdentifier} when the configuration was built; everything else is a
 * bound parameter. Rows are addressed by {@code key_hash} and then compared by {@code key}, so a
 * hash collision never reads, writes or deletes another key's row.
 */
final class PostgresStatements {

    /** Columns of {@link #selectEntry}, in order. */
    static final String ENTRY_COLUMNS = "key, value, expires_at, created_at, updated_at, version";

    final String selectEntry;
    final String selectEntryForUpdate;
    final String upsert;
    final String insertIfAbsent;
    final String insertNew;
    final String rewrite;
    final String deleteByHash;
    final String delete;
    final String expire;
    final String persist;
    final String keysFrom;
    final String keysBetween;
    final String deleteExpiredBatch;

    PostgresStatements(KvConfig config) {
        String table = SqlIdentifier.quote(SqlIdentifier.check("schema", config.schema())) + "."
                + SqlIdentifier.quote(SqlIdentifier.check("table", config.table()));
        String value = config.format() == ValueFormat.JSONB ? "CAST(? AS jsonb)" : "?";

        selectEntry = "SELECT " + ENTRY_COLUMNS + " FROM " + table + " WHERE key_hash = ?";
        selectEntryForUpdate = selectEntry + " FOR UPDATE";

        // Parameters: key_hash, key, value, expires_at, now. An expired row of any key is free to
        // take; a live row of another key is a collision and leaves 0 rows affected.
        upsert =
                """
                INSERT INTO %1$s AS e (key_hash, key, value, expires_at, created_at, updated_at, version)
                VALUES (?, ?, %2$s, ?, ?, ?, 1)
                ON CONFLICT (key_hash) DO UPDATE SET
                  key = EXCLUDED.key,
                  value = EXCLUDED.value,
                  expires_at = EXCLUDED.expires_at,
                  created_at = CASE WHEN e.expires_at <= EXCLUDED.updated_at THEN EXCLUDED.created_at ELSE e.created_at END,
                  updated_at = EXCLUDED.updated_at,
                  version = CASE WHEN e.key = EXCLUDED.key THEN e.version + 1 ELSE 1 END
                WHERE e.key = EXCLUDED.key OR e.expires_at <= EXCLUDED.updated_at
                """
                        .formatted(table, value);

        // Parameters: key_hash, key_hash, key, value, expires_at, now, now. Returns whether the row
        // was written and the key of the row that was there before, to tell "present" from a collision.
        insertIfAbsent =
                """
                WITH previous AS (SELECT key FROM %1$s WHERE key_hash = ?),
                written AS (
                  INSERT INTO %1$s AS e (key_hash, key, value, expires_at, created_at, updated_at, version)
                  VALUES (?, ?, %2$s, ?, ?, ?, 1)
                  ON CONFLICT (key_hash) DO UPDATE SET
                    key = EXCLUDED.key,
                    value = EXCLUDED.value,
                    expires_at = EXCLUDED.expires_at,
                    created_at = EXCLUDED.created_at,
                    updated_at = EXCLUDED.updated_at,
                    version = CASE WHEN e.key = EXCLUDED.key THEN e.version + 1 ELSE 1 END
                  WHERE e.expires_at <= EXCLUDED.updated_at
                  RETURNING 1)
                SELECT EXISTS (SELECT 1 FROM written), (SELECT key FROM previous)
                """
                        .formatted(table, value);

        // Inside update(), when no row was there to lock. Parameters as for upsert but version.
        insertNew =
                """
                INSERT INTO %1$s (key_hash, key, value, expires_at, created_at, updated_at, version)
                VALUES (?, ?, %2$s, ?, ?, ?, ?)
                ON CONFLICT (key_hash) DO NOTHING
                """
                        .formatted(table, value);

        // Inside update(), on the row locked by selectEntryForUpdate.
        rewrite =
                """
                UPDATE %1$s SET key = ?, value = %2$s, expires_at = ?, created_at = ?, updated_at = ?, version = ?
                WHERE key_hash = ?
                """
                        .formatted(table, value);

        deleteByHash = "DELETE FROM " + table + " WHERE key_hash = ?";

        // Returns the expiry of the deleted row, to tell a live entry from an expired leftover.
        delete = "DELETE FROM " + table + " WHERE key_hash = ? AND key = ? RETURNING expires_at";

        // Parameters: expires_at, now, key_hash, key, now.
        expire =
                """
                UPDATE %1$s SET expires_at = ?, updated_at = ?, version = version + 1
                WHERE key_hash = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)
                """
                        .formatted(table);

        // Parameters: now, key_hash, key, now.
        persist =
                """
                UPDATE %1$s SET expires_at = NULL, updated_at = ?, version = version + 1
                WHERE key_hash = ? AND key = ? AND expires_at > ?
                """
                        .formatted(table);

        // A range on the "C"-collated key, never LIKE: the index serves it in custom and generic plans.
        String liveKeys = "SELECT key FROM " + table + " WHERE (expires_at IS NULL OR expires_at > ?) AND key >= ?";
        keysFrom = liveKeys + " ORDER BY key";
        keysBetween = liveKeys + " AND key < ? ORDER BY key";

        // Parameters: now, batch size. The batch is collected into an array first: with IN (subquery)
        // a generic plan hash-joins the batch against a sequential scan of the whole table.
        deleteExpiredBatch =
                """
                DELETE FROM %1$s WHERE key_hash = ANY (ARRAY(
                  SELECT key_hash FROM %1$s WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED))
                """
                        .formatted(table);
    }
}

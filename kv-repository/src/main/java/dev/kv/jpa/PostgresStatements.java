package dev.kv.jpa;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.internal.SqlIdentifier;

/**
 * Every SQL statement of a PostgreSQL store. The only text put into them is the schema and table
 * name, checked by {@link SqlIdentifier} when the configuration was built; everything else is a
 * bound parameter. Rows are addressed by {@code key_hash} and then compared by {@code key}, so a
 * hash collision never reads, writes or deletes another key's row.
 */
final class PostgresStatements {

    /** Columns of {@link #selectEntry}, in order. */
    static final String ENTRY_COLUMNS = "key, value, expires_at, created_at, updated_at, version";

    final String table;
    final String selectEntry;
    final String selectValue;
    final String selectExpiry;
    final String selectEntries;
    final String upsertMany;
    final String lockMany;
    final String stats;
    final String deleteMany;
    final String increment;
    final String selectEntryForUpdate;
    final String upsert;
    final String insertIfAbsent;
    final String setIfVersion;
    final String deleteIfVersion;
    final String insertNew;
    final String rewrite;
    final String deleteByHash;
    final String delete;
    final String expire;
    final String persist;
    final String deleteExpiredBatch;
    final String deleteExpiredRow;
    final String deleteExpiredRows;
    final String streamCheck;
    final String streamRead;
    final String streamLastSeq;
    final String streamTrim;
    final String consumerPosition;
    final String consumerCommit;
    final String consumerStatus;
    final String consumerDelete;

    PostgresStatements(KvConfig config) {
        String schema = SqlIdentifier.quote(SqlIdentifier.check("schema", config.schema())) + ".";
        String name = SqlIdentifier.check("table", config.table());
        table = schema + SqlIdentifier.quote(name);
        String stream = schema + SqlIdentifier.quote(name + "_stream");
        String sequence = schema + SqlIdentifier.quote(name + "_stream_seq");
        String consumers = schema + SqlIdentifier.quote(name + "_consumer");
        boolean jsonb = config.format() == ValueFormat.JSONB;
        String value = jsonb ? "CAST(? AS jsonb)" : "?";

        selectEntry = "SELECT " + ENTRY_COLUMNS + " FROM " + table + " WHERE key_hash = ?";
        selectEntryForUpdate = selectEntry + " FOR UPDATE";
        // Narrower reads of the same shape (key, value, expires_at): get needs no timestamps or
        // version, exists and ttl not the value, which can be a megabyte.
        selectValue = "SELECT key, value, expires_at FROM " + table + " WHERE key_hash = ?";
        selectExpiry = "SELECT key, NULL, expires_at FROM " + table + " WHERE key_hash = ?";
        // The entry columns, then key_hash: the key each row answers, without hashing its key again.
        selectEntries = "SELECT " + ENTRY_COLUMNS + ", key_hash FROM " + table + " WHERE key_hash = ANY (?)";

        // Parameters: key_hash, key, value, expires_at, now, now, then expiry now three times: the
        // instant expiry is judged at, which is not the time written (see CleanupStrategy). An
        // expired row of any key is free to take, and what is written over it is a new entry
        // (version 1, created now); a live row of another key is a collision and leaves 0 rows
        // affected.
        upsert =
                """
                INSERT INTO %1$s AS e (key_hash, key, value, expires_at, created_at, updated_at, version)
                VALUES (?, ?, %2$s, ?, ?, ?, 1)
                ON CONFLICT (key_hash) DO UPDATE SET
                  key = EXCLUDED.key,
                  value = EXCLUDED.value,
                  expires_at = EXCLUDED.expires_at,
                  created_at = CASE WHEN e.expires_at <= ? THEN EXCLUDED.created_at ELSE e.created_at END,
                  updated_at = EXCLUDED.updated_at,
                  version = CASE WHEN e.key = EXCLUDED.key AND (e.expires_at IS NULL OR e.expires_at > ?)
                    THEN e.version + 1 ELSE 1 END
                WHERE e.key = EXCLUDED.key OR e.expires_at <= ?
                """
                        .formatted(table, value);

        // Parameters: key_hash, key_hash, key, value, expires_at, now, now, expiry now. Returns the
        // version written (null if nothing was) and the key and version of the row that was there
        // before, to tell "present" from a collision.
        insertIfAbsent =
                """
                WITH previous AS (SELECT key, version FROM %1$s WHERE key_hash = ?),
                written AS (
                  INSERT INTO %1$s AS e (key_hash, key, value, expires_at, created_at, updated_at, version)
                  VALUES (?, ?, %2$s, ?, ?, ?, 1)
                  ON CONFLICT (key_hash) DO UPDATE SET
                    key = EXCLUDED.key,
                    value = EXCLUDED.value,
                    expires_at = EXCLUDED.expires_at,
                    created_at = EXCLUDED.created_at,
                    updated_at = EXCLUDED.updated_at,
                    version = 1
                  WHERE e.expires_at <= ?
                  RETURNING version)
                SELECT (SELECT version FROM written), (SELECT key FROM previous), (SELECT version FROM previous)
                """
                        .formatted(table, value);

        // Parameters: value, now, key_hash, key, expected version, expiry now.
        setIfVersion =
                """
                UPDATE %1$s SET value = %2$s, updated_at = ?, version = version + 1
                WHERE key_hash = ? AND key = ? AND version = ? AND (expires_at IS NULL OR expires_at > ?)
                RETURNING version
                """
                        .formatted(table, value);

        // Parameters: key_hash, key, expected version, expiry now.
        deleteIfVersion =
                """
                DELETE FROM %1$s
                WHERE key_hash = ? AND key = ? AND version = ? AND (expires_at IS NULL OR expires_at > ?)
                """
                        .formatted(table);

        // Parameters: now, now, key_hashes, keys, values, expiries in microseconds since the epoch
        // (NULL: none), expiry now three times; all arrays sorted by key_hash so that concurrent
        // batches lock rows in one order and cannot deadlock. Run in a transaction: fewer rows
        // affected than given means a collision, and the whole batch is rolled back.
        upsertMany =
                """
                INSERT INTO %1$s AS e (key_hash, key, value, expires_at, created_at, updated_at, version)
                SELECT b.key_hash, b.key, %2$s,
                       'epoch'::timestamptz + b.expires_micros * interval '1 microsecond', ?, ?, 1
                FROM unnest(?::bigint[], ?::text[], ?::%3$s[], ?::bigint[])
                     WITH ORDINALITY AS b(key_hash, key, value, expires_micros, position)
                ORDER BY b.position
                ON CONFLICT (key_hash) DO UPDATE SET
                  key = EXCLUDED.key,
                  value = EXCLUDED.value,
                  expires_at = EXCLUDED.expires_at,
                  created_at = CASE WHEN e.expires_at <= ? THEN EXCLUDED.created_at ELSE e.created_at END,
                  updated_at = EXCLUDED.updated_at,
                  version = CASE WHEN e.key = EXCLUDED.key AND (e.expires_at IS NULL OR e.expires_at > ?)
                    THEN e.version + 1 ELSE 1 END
                WHERE e.key = EXCLUDED.key OR e.expires_at <= ?
                """
                        .formatted(table, jsonb ? "CAST(b.value AS jsonb)" : "b.value", jsonb ? "text" : "bytea");

        // Parameters: expiry now.
        stats = "SELECT count(*), coalesce(sum(octet_length(" + (jsonb ? "value::text" : "value") + ")), 0) FROM "
                + table + " WHERE expires_at IS NULL OR expires_at > ?";

        // Inside apply(): locks the rows a batch touches, in key_hash order, and reads what they hold.
        lockMany = "SELECT key_hash, key, expires_at FROM " + table
                + " WHERE key_hash = ANY (?) ORDER BY key_hash FOR UPDATE";

        // Parameters: key_hashes, keys. Returns the expiry of each deleted row.
        deleteMany =
                """
                DELETE FROM %1$s AS e USING unnest(?::bigint[], ?::text[]) AS d(key_hash, key)
                WHERE e.key_hash = d.key_hash AND e.key = d.key
                RETURNING e.expires_at
                """
                        .formatted(table);

        // Parameters: key_hash, key, value of a new counter (delta), now, now, expiry now, delta, expiry
        // now four times. One statement:
        // a value that is not an integer becomes NULL (refused by NOT NULL) or fails its cast, and
        // bigint addition fails on overflow, so nothing is written in either case.
        String counterText = jsonb
                ? "CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value #>> '{}' END"
                : "btrim(convert_from(e.value, 'UTF8'), E' \\t\\n\\r')";
        String counter = "CASE WHEN (%1$s) ~ '^-?[0-9]+$' THEN (%1$s)::numeric END".formatted(counterText);
        String sum = "(CASE WHEN %1$s BETWEEN -9223372036854775808 AND 9223372036854775807 THEN (%1$s)::bigint END + ?)"
                .formatted(counter);
        increment =
                """
                INSERT INTO %1$s AS e (key_hash, key, value, expires_at, created_at, updated_at, version)
                VALUES (?, ?, %2$s, NULL, ?, ?, 1)
                ON CONFLICT (key_hash) DO UPDATE SET
                  key = EXCLUDED.key,
                  value = CASE WHEN e.expires_at <= ? THEN EXCLUDED.value ELSE %3$s END,
                  expires_at = CASE WHEN e.expires_at <= ? THEN NULL ELSE e.expires_at END,
                  created_at = CASE WHEN e.expires_at <= ? THEN EXCLUDED.created_at ELSE e.created_at END,
                  updated_at = EXCLUDED.updated_at,
                  version = CASE WHEN e.key = EXCLUDED.key AND (e.expires_at IS NULL OR e.expires_at > ?)
                    THEN e.version + 1 ELSE 1 END
                WHERE e.key = EXCLUDED.key OR e.expires_at <= ?
                RETURNING value
                """
                        .formatted(table, value, jsonb ? "to_jsonb" + sum : "convert_to(" + sum + "::text, 'UTF8')");

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

        // Parameters: expires_at, now, key_hash, key, expiry now.
        expire =
                """
                UPDATE %1$s SET expires_at = ?, updated_at = ?, version = version + 1
                WHERE key_hash = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)
                """
                        .formatted(table);

        // Parameters: now, key_hash, key, expiry now.
        persist =
                """
                UPDATE %1$s SET expires_at = NULL, updated_at = ?, version = version + 1
                WHERE key_hash = ? AND key = ? AND expires_at > ?
                """
                        .formatted(table);

        // Parameters: expiry now, batch size. The batch is collected into an array first: with IN (subquery)
        // a generic plan hash-joins the batch against a sequential scan of the whole table.
        deleteExpiredBatch =
                """
                DELETE FROM %1$s WHERE key_hash = ANY (ARRAY(
                  SELECT key_hash FROM %1$s WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED))
                """
                        .formatted(table);

        // CleanupStrategy.ON_READ, after a read met expired rows. Parameters: key_hash, key, now (or
        // key_hashes, now): a row written again meanwhile is live and stays.
        deleteExpiredRow = "DELETE FROM " + table + " WHERE key_hash = ? AND key = ? AND expires_at <= ?";
        deleteExpiredRows = "DELETE FROM " + table + " WHERE key_hash = ANY (?) AND expires_at <= ?";

        // The change stream, filled by the trigger the migrations create (see changelog.xml).
        streamCheck =
                """
                SELECT to_regclass('%1$s') IS NOT NULL AND to_regclass('%2$s') IS NOT NULL
                  AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('%3$s') AND tgname = 'kv_change_stream')
                """
                        .formatted(stream, consumers, table);

        // Parameters: after seq, key prefix, limit. The primary key on seq serves the order and limit.
        streamRead =
                """
                SELECT seq, key, type, version, value, expires_at, at FROM %1$s
                WHERE seq > ? AND starts_with(key, ?) ORDER BY seq LIMIT ?
                """
                        .formatted(stream);

        // The sequence, not max(seq): trimming must not lower it.
        streamLastSeq = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + sequence;

        // Parameters: up to seq, key prefix.
        streamTrim = "DELETE FROM " + stream + " WHERE seq <= ? AND starts_with(key, ?)";

        consumerPosition = "SELECT position FROM " + consumers + " WHERE name = ?";

        // Parameters: name, seq, now, seq. Writes the position only if it is not beyond the last seq,
        // and returns the last seq.
        consumerCommit =
                """
                WITH last AS (SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS seq FROM %1$s),
                written AS (
                  INSERT INTO %2$s (name, position, committed_at)
                  SELECT CAST(? AS text), CAST(? AS bigint), CAST(? AS timestamptz) FROM last WHERE CAST(? AS bigint) <= last.seq
                  ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, committed_at = EXCLUDED.committed_at
                  RETURNING 1)
                SELECT (SELECT seq FROM last), (SELECT count(*) FROM written)
                """
                        .formatted(sequence, consumers);

        // Parameters: name.
        consumerStatus = "SELECT coalesce((" + consumerPosition + "), 0), (" + streamLastSeq + ")";

        consumerDelete = "DELETE FROM " + consumers + " WHERE name = ?";
    }
}

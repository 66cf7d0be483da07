package dev.kv.jpa;

import dev.kv.Entry;
import dev.kv.internal.OperationFront;
import dev.kv.internal.WrittenExpiry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** A row as a {@link SqlDialect} read it, live or expired, of this key or a colliding one. */
record StoredRow(
        String key,
        byte[] value,
        Instant expiresAt,
        Instant createdAt,
        Instant updatedAt,
        long version,
        long idleMicros) {

    static StoredRow read(ResultSet row, ValueColumn valueColumn) throws SQLException {
        return new StoredRow(
                row.getString(1),
                valueColumn.read(row, 2),
                SqlExecutor.getInstant(row, 3),
                SqlExecutor.getInstant(row, 4),
                SqlExecutor.getInstant(row, 5),
                row.getLong(6),
                row.getLong(7));
    }

    /**
     * A row as read by {@link SqlDialect#selectValue} or {@code selectExpiry}: key, value (or NULL), expires_at,
     * idle_micros.
     */
    static StoredRow readHead(ResultSet row, ValueColumn valueColumn) throws SQLException {
        return new StoredRow(
                row.getString(1),
                valueColumn.read(row, 2),
                SqlExecutor.getInstant(row, 3),
                null,
                null,
                0,
                row.getLong(4));
    }

    /** The same row with another expiry. */
    StoredRow expiringAt(Instant newExpiresAt) {
        return new StoredRow(key, value, newExpiresAt, createdAt, updatedAt, version, idleMicros);
    }

    /** Its expiry as a write keeps it. */
    WrittenExpiry writtenExpiry() {
        return expiresAt == null
                ? WrittenExpiry.NEVER
                : new WrittenExpiry(OperationFront.micros(expiresAt), idleMicros);
    }

    boolean isLiveAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    Entry toEntry() {
        return new Entry(key, value, version, createdAt, updatedAt, Optional.ofNullable(expiresAt));
    }
}

package dev.kv.jpa;

import dev.kv.Entry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A row as read by {@link PostgresStatements#selectEntry}, live or expired, of this key or a colliding one. */
record StoredRow(String key, byte[] value, Instant expiresAt, Instant createdAt, Instant updatedAt, long version) {

    static StoredRow read(ResultSet row, ValueColumn valueColumn) throws SQLException {
        return new StoredRow(
                row.getString(1),
                valueColumn.read(row, 2),
                instant(row, 3),
                instant(row, 4),
                instant(row, 5),
                row.getLong(6));
    }

    /** A row as read by {@code selectValue} or {@code selectExpiry}: key, value (or NULL), expires_at. */
    static StoredRow readHead(ResultSet row, ValueColumn valueColumn) throws SQLException {
        return new StoredRow(row.getString(1), valueColumn.read(row, 2), instant(row, 3), null, null, 0);
    }

    static Instant instant(ResultSet row, int index) throws SQLException {
        OffsetDateTime time = row.getObject(index, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    boolean isLiveAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    Entry toEntry() {
        return new Entry(key, value, version, createdAt, updatedAt, Optional.ofNullable(expiresAt));
    }
}

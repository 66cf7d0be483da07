package dev.kv;

import java.time.Instant;
import java.util.Objects;

/**
 * A store found its table emptied behind its back: PostgreSQL resets every UNLOGGED table to empty
 * when it recovers from a crash (and a replica promoted by a failover holds them empty), so the
 * entries written before are gone although no operation deleted them. Told to {@link
 * KvConfig#onDataLoss()} once per detection, beside a WARNING log line.
 *
 * @param schema the table's schema
 * @param table the table that was emptied
 * @param detectedAt when the store noticed it (by its clock), not when the crash happened
 * @param reason what the store found, in words
 */
public record DataLossEvent(String schema, String table, Instant detectedAt, String reason) {

    public DataLossEvent {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(reason, "reason");
    }
}

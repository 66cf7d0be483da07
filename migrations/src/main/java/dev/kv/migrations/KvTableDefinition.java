package dev.kv.migrations;

import dev.kv.KvConfig;
import dev.kv.internal.SqlIdentifier;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the changelog creates: where the table lives, whether it is written to the WAL, and the
 * type of its value column.
 *
 * @param schema schema of the table, created when missing
 * @param table table name; index names are derived from it
 * @param unlogged {@code true} for an UNLOGGED table: faster writes, emptied after a crash
 * @param valueType {@code jsonb} or {@code bytea}
 * @param keyIndex whether to create the B-tree on {@code key} that prefix, range and ordered scans use
 * @param changeStream whether to create the change stream: the tables {@code <table>_stream} and
 *     {@code <table>_consumer}, the sequence {@code <table>_stream_seq}, and the trigger that records
 *     every change of the table at commit
 */
public record KvTableDefinition(
        String schema, String table, boolean unlogged, String valueType, boolean keyIndex, boolean changeStream) {

    /** A table with the key index and without a change stream. */
    public KvTableDefinition(String schema, String table, boolean unlogged, String valueType) {
        this(schema, table, unlogged, valueType, true, false);
    }

    /** A table without a change stream. */
    public KvTableDefinition(String schema, String table, boolean unlogged, String valueType, boolean keyIndex) {
        this(schema, table, unlogged, valueType, keyIndex, false);
    }

    /** The table a store with this configuration reads and writes. */
    public static KvTableDefinition of(KvConfig config) {
        return new KvTableDefinition(
                config.schema(),
                config.table(),
                config.unlogged(),
                config.format().columnType(),
                config.prefixIndex(),
                config.changeStream());
    }

    public KvTableDefinition {
        SqlIdentifier.check("schema", schema);
        SqlIdentifier.check("table", table);
        Objects.requireNonNull(valueType, "valueType");
        valueType = valueType.toLowerCase(Locale.ROOT);
        if (!valueType.equals("jsonb") && !valueType.equals("bytea")) {
            throw new IllegalArgumentException("valueType must be jsonb or bytea, but was \"" + valueType + "\"");
        }
    }

    /** The changelog parameters that describe this table. */
    Map<String, String> changelogParameters() {
        return Map.of(
                "kv.schema",
                schema,
                "kv.table",
                table,
                "kv.persistence",
                unlogged ? "UNLOGGED" : "LOGGED",
                "kv.value.type",
                valueType,
                "kv.key.index",
                Boolean.toString(keyIndex),
                "kv.change.stream",
                Boolean.toString(changeStream));
    }
}

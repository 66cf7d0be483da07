package dev.kv;

/** How a store keeps its values. A store, and its table, are configured for one format. */
public enum ValueFormat {
    /**
     * Validated JSON documents in a {@code jsonb} column, queryable with SQL. PostgreSQL keeps the
     * JSON value, not its bytes: whitespace, key order and duplicate keys are normalised, and
     * {@code \u0000} is refused.
     */
    JSONB("jsonb"),
    /** Any bytes, returned exactly as stored, in a {@code bytea} column. */
    BYTEA("bytea");

    private final String columnType;

    ValueFormat(String columnType) {
        this.columnType = columnType;
    }

    /** The PostgreSQL type of the value column. */
    public String columnType() {
        return columnType;
    }
}

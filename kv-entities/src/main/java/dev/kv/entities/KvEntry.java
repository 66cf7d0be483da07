package dev.kv.entities;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of a kv table whose values are JSON documents, stored as {@code JSONB}.
 *
 * <p>JSONB keeps the JSON value, not its bytes: PostgreSQL normalises whitespace and key order,
 * keeps the last of duplicate keys and rejects {@code \u0000}. Values that must come back byte for
 * byte belong in a {@link BinaryKvEntry BYTEA} table.
 */
@Entity(name = "KvEntry")
@Table(name = KvTables.DEFAULT_TABLE)
public class KvEntry extends AbstractKvEntry {

    @Convert(converter = JsonValueConverter.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "value", nullable = false)
    private byte[] value;

    protected KvEntry() {}

    /** The JSON document as UTF-8 bytes. */
    public byte[] getValue() {
        return value.clone();
    }
}

package dev.kv.entities;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of a kv table whose values are opaque bytes, stored as {@code BYTEA}. */
@Entity(name = "BinaryKvEntry")
@Table(name = KvTables.DEFAULT_TABLE)
public class BinaryKvEntry extends AbstractKvEntry {

    @Column(name = "value", nullable = false)
    private byte[] value;

    protected BinaryKvEntry() {}

    public byte[] getValue() {
        return value.clone();
    }
}

package dev.kv.entities;

/** Names shared by the mapping, the migrations and the store. */
public final class KvTables {

    /** The table a store uses unless configured otherwise. */
    public static final String DEFAULT_TABLE = "kv_entry";

    private KvTables() {}
}

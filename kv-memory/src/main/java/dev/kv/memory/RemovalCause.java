package dev.kv.memory;

/** Why a store removed an entry by itself. */
public enum RemovalCause {
    /** The entry's expiry passed; it was removed by the cleaner or replaced by a write. */
    EXPIRED,
    /** The store was over its maximum number of entries or bytes and chose this entry to make room. */
    EVICTED
}

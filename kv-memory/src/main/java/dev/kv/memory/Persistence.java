package dev.kv.memory;

/** How an in-memory store keeps its entries across restarts, in its data directory. */
public enum Persistence {
    /** Not at all: entries live as long as the store. */
    NONE,
    /**
     * A gzip-compressed snapshot every {@link MemoryOptions.Builder#snapshotInterval snapshot
     * interval} and on close; a crash loses the writes made since the last finished snapshot began:
     * up to one interval plus the time one snapshot takes.
     */
    SNAPSHOT,
    /** An append-only log of every write, with a checksum per record, synced as the {@link SyncPolicy} says. */
    WAL,
    /** The log, plus periodic snapshots after which the log written before them is deleted. */
    HYBRID;

    boolean logs() {
        return this == WAL || this == HYBRID;
    }

    boolean snapshots() {
        return this == SNAPSHOT || this == HYBRID;
    }
}

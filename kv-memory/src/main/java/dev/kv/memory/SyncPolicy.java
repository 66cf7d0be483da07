package dev.kv.memory;

/** When the write-ahead log is forced to the disk. */
public enum SyncPolicy {
    /** Before every write returns: an acknowledged write survives a crash of the process or the machine. */
    EVERY_WRITE,
    /** Every {@link MemoryOptions.Builder#syncInterval sync interval}: a crash loses at most that interval. */
    INTERVAL,
    /** Whenever the operating system writes its cache back: survives a crash of the process, not of the machine. */
    OS
}

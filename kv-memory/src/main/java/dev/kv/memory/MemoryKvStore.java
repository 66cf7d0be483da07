package dev.kv.memory;

import dev.kv.KvStore;
import java.nio.file.Path;

/**
 * A {@link KvStore} held in the process's memory, opened by {@link MemoryKvStores#open}. It has the
 * contract of every store; what it adds is below.
 *
 * <p>Point operations go to a concurrent hash map, scans to a concurrent skip list of the keys; no
 * read takes a lock. {@code update} holds the key's lock while its function runs, so the function
 * must not call the store.
 */
public interface MemoryKvStore extends KvStore {

    /**
     * Writes the live entries to {@code file}, gzip-compressed: first to a temporary file beside it,
     * which is then forced to the disk and renamed over {@code file} atomically. Concurrent writes
     * go on; each entry is saved as it was at some moment during the call.
     *
     * @throws dev.kv.KvException if the file cannot be written
     */
    SnapshotInfo snapshot(Path file);

    /**
     * Replaces every entry by the live entries of a snapshot {@code file}. The file is read and
     * checked whole before anything changes; in the WAL and HYBRID modes the replacement is logged.
     * Writes running at the same time may land before or after it.
     *
     * @throws dev.kv.KvException if the file cannot be read or is damaged (nothing changed then)
     * @throws dev.kv.CapacityExceededException if the policy is NONE and the snapshot exceeds a bound
     * @throws dev.kv.InvalidKeyException if the snapshot holds a key this store's limits refuse (nothing
     *     changed then)
     */
    void restore(Path file);

    /** The options this store runs with. */
    MemoryOptions options();
}

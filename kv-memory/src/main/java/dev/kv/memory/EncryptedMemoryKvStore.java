package dev.kv.memory;

import dev.kv.EncryptedKvStore;
import dev.kv.ForwardingKvStore;
import dev.kv.KvStore;
import java.nio.file.Path;

/**
 * A memory store opened with an {@link dev.kv.KvConfig#encryptor() encryptor}: every call goes to the
 * encrypted view that owns the store ({@link EncryptedKvStore#configured}), and what only a memory
 * store has (snapshots, which hold ciphertext, and its options) to the store itself.
 */
final class EncryptedMemoryKvStore extends ForwardingKvStore implements MemoryKvStore {

    private final MemoryStore store;

    EncryptedMemoryKvStore(KvStore view, MemoryStore store) {
        super(view);
        this.store = store;
    }

    /** The view's own view of the transaction, which encrypts already. */
    @Override
    protected KvStore over(KvStore transaction) {
        return transaction;
    }

    @Override
    public SnapshotInfo snapshot(Path file) {
        return store.snapshot(file);
    }

    @Override
    public void restore(Path file) {
        store.restore(file);
    }

    @Override
    public MemoryOptions options() {
        return store.options();
    }

    @Override
    public String toString() {
        return delegate().toString();
    }
}

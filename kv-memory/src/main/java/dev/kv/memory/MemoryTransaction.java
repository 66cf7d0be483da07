package dev.kv.memory;

import dev.kv.ForwardingKvStore;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The store a transaction's work is given: every write goes straight to the store, after the
 * entry it replaces is remembered; a rollback puts back, newest first, every remembered entry whose
 * key still holds what the transaction wrote. Reads, and every write once its keys are remembered,
 * go to the store's own implementation.
 */
final class MemoryTransaction extends ForwardingKvStore {

    private final MemoryStore store;
    /** Per key written, the node before the transaction's first write (null: none). */
    private final Map<String, Node> before = new LinkedHashMap<>();
    /** Per key written, the node the transaction's last write left (null: removed). */
    private final Map<String, Node> after = new LinkedHashMap<>();

    MemoryTransaction(MemoryStore store) {
        super(store);
        this.store = store;
    }

    /** Runs {@code write} of {@code keys}, remembering what each key held before and after it. */
    private <T> T writing(Collection<String> keys, Supplier<T> write) {
        for (String key : keys) {
            store.config().limits().checkKey(key);
            if (!before.containsKey(key)) {
                before.put(key, store.peek(key));
            }
        }
        T result = write.get();
        keys.forEach(key -> after.put(key, store.peek(key)));
        return result;
    }

    void rollBack() {
        List<String> keys = new ArrayList<>(before.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            String key = keys.get(i);
            Node previous = before.get(key);
            store.putBack(key, after.containsKey(key) ? after.get(key) : previous, previous);
        }
    }

    /** Work nested in a transaction joins it. */
    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        return work.apply(this);
    }

    /** Never asked for: {@link #inTransaction} joins this transaction instead of starting one. */
    @Override
    protected KvStore over(KvStore transaction) {
        return this;
    }

    /** Remembers what the entry held before and after each write of one entry. */
    @Override
    protected <T> T forwardWrite(String operation, String key, Supplier<T> call) {
        return writing(List.of(key), () -> super.forwardWrite(operation, key, call));
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        writing(entries == null ? List.of() : entries.keySet(), () -> {
            super.setMany(entries);
            return null;
        });
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        writing(entries == null ? List.of() : entries.keySet(), () -> {
            super.setMany(entries, ttl);
            return null;
        });
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return writing(keys == null ? List.of() : keys, () -> super.deleteMany(keys));
    }

    @Override
    public List<Long> apply(List<Mutation> mutations) {
        store.checkMutations(mutations);
        return MemoryStore.applyChecked(this, mutations);
    }

    /** Deletes the keys selected when it starts, each remembered: a key written meanwhile is left alone. */
    @Override
    public long delete(ScanOptions options) {
        return deleteMany(keys(options));
    }

    @Override
    public long deletePrefix(String prefix, int limit) {
        return delete(ScanOptions.prefix(prefix).limit(limit));
    }

    @Override
    public long deleteRange(String from, String to, int limit) {
        return delete(ScanOptions.range(from, to).limit(limit));
    }

    @Override
    public long deletePrefix(String prefix) {
        return delete(ScanOptions.prefix(prefix));
    }

    @Override
    public long deleteRange(String from, String to) {
        return delete(ScanOptions.range(from, to));
    }

    @Override
    public long clear() {
        return delete(ScanOptions.all());
    }

    /** Closing the transaction's view does nothing; the store stays open. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "transaction of " + store;
    }
}

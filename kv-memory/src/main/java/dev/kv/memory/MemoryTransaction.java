package dev.kv.memory;

import dev.kv.CasResult;
import dev.kv.Expiry;
import dev.kv.ForwardingKvStore;
import dev.kv.KvStore;
import dev.kv.Lease;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.internal.OperationFront;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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

    /** Runs {@code write} of {@code key}, remembering what the key held before and after it. */
    private <T> T writing(String key, Supplier<T> write) {
        return writing(List.of(key), write);
    }

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

    private void writing(String key, Runnable write) {
        writing(key, () -> {
            write.run();
            return null;
        });
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

    @Override
    public void set(String key, byte[] value) {
        writing(key, () -> super.set(key, value));
    }

    @Override
    public void set(String key, byte[] value, Expiry expiry) {
        writing(key, () -> super.set(key, value, expiry));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Expiry expiry) {
        return writing(key, () -> super.setIfAbsent(key, value, expiry));
    }

    @Override
    public boolean expire(String key, Expiry expiry) {
        return writing(key, () -> super.expire(key, expiry));
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        writing(key, () -> super.set(key, value, ttl));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return writing(key, () -> super.setIfAbsent(key, value));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return writing(key, () -> super.setIfAbsent(key, value, ttl));
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return writing(key, () -> super.setIfVersion(key, value, expectedVersion));
    }

    @Override
    public boolean delete(String key) {
        return writing(key, () -> super.delete(key));
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        writing(key, () -> super.deleteIfVersion(key, expectedVersion));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return writing(key, () -> super.expire(key, ttl));
    }

    @Override
    public boolean persist(String key) {
        return writing(key, () -> super.persist(key));
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return writing(key, () -> super.update(key, fn));
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return writing(key, () -> super.update(key, ttl, fn));
    }

    @Override
    public long increment(String key, long delta) {
        return writing(key, () -> super.increment(key, delta));
    }

    @Override
    public long increment(String key) {
        return writing(key, () -> super.increment(key));
    }

    @Override
    public long decrement(String key, long delta) {
        return writing(key, () -> super.decrement(key, delta));
    }

    @Override
    public long decrement(String key) {
        return writing(key, () -> super.decrement(key));
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement) {
        return writing(key, () -> super.compareAndSwap(key, expected, replacement));
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl) {
        return writing(key, () -> super.compareAndSwap(key, expected, replacement, ttl));
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value) {
        return writing(key, () -> super.getAndSet(key, value));
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl) {
        return writing(key, () -> super.getAndSet(key, value, ttl));
    }

    @Override
    public Optional<byte[]> getAndDelete(String key) {
        return writing(key, () -> super.getAndDelete(key));
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch) {
        return writing(key, () -> super.patch(key, mergePatch));
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch, long expectedVersion) {
        return writing(key, () -> super.patch(key, mergePatch, expectedVersion));
    }

    @Override
    public Optional<Lease> tryLock(String name, String owner, Duration lease) {
        return writing(name, () -> super.tryLock(name, owner, lease));
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration duration) {
        return writing(OperationFront.notNull(lease, "lease").name(), () -> super.renew(lease, duration));
    }

    @Override
    public boolean unlock(Lease lease) {
        return writing(OperationFront.notNull(lease, "lease").name(), () -> super.unlock(lease));
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

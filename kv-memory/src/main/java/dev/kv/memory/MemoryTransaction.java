package dev.kv.memory;

import dev.kv.ChangeStream;
import dev.kv.Entry;
import dev.kv.KvConfig;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.Ttl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The store a transaction's work is given: every write goes straight to the store, after the
 * entry it replaces is remembered; a rollback puts back, newest first, every remembered entry whose
 * key still holds what the transaction wrote.
 */
final class MemoryTransaction implements KvStore {

    private final MemoryStore store;
    /** Per key written, the node before the transaction's first write (null: none). */
    private final Map<String, Node> before = new LinkedHashMap<>();
    /** Per key written, the node the transaction's last write left (null: removed). */
    private final Map<String, Node> after = new LinkedHashMap<>();

    MemoryTransaction(MemoryStore store) {
        this.store = store;
    }

    private void remember(String key) {
        store.config().limits().checkKey(key);
        if (!before.containsKey(key)) {
            before.put(key, store.peek(key));
        }
    }

    private <T> T written(String key, T result) {
        after.put(key, store.peek(key));
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

    @Override
    public Optional<byte[]> get(String key) {
        return store.get(key);
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return store.getEntry(key);
    }

    @Override
    public void set(String key, byte[] value) {
        remember(key);
        store.set(key, value);
        written(key, null);
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        remember(key);
        store.set(key, value, ttl);
        written(key, null);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        remember(key);
        return written(key, store.setIfAbsent(key, value));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        remember(key);
        return written(key, store.setIfAbsent(key, value, ttl));
    }

    @Override
    public boolean delete(String key) {
        remember(key);
        return written(key, store.delete(key));
    }

    @Override
    public boolean exists(String key) {
        return store.exists(key);
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        remember(key);
        return written(key, store.expire(key, ttl));
    }

    @Override
    public boolean persist(String key) {
        remember(key);
        return written(key, store.persist(key));
    }

    @Override
    public Ttl ttl(String key) {
        return store.ttl(key);
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        remember(key);
        return written(key, store.update(key, fn));
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        remember(key);
        return written(key, store.update(key, ttl, fn));
    }

    @Override
    public List<String> keys(String prefix) {
        return store.keys(prefix);
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        remember(key);
        return written(key, store.setIfVersion(key, value, expectedVersion));
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        remember(key);
        store.deleteIfVersion(key, expectedVersion);
        written(key, null);
    }

    /** Work nested in a transaction joins it. */
    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        return work.apply(this);
    }

    @Override
    public List<Boolean> apply(List<Mutation> mutations) {
        store.checkMutations(mutations);
        return MemoryStore.applyChecked(this, mutations);
    }

    @Override
    public long cleanupExpired() {
        return store.cleanupExpired();
    }

    /** The store's counters: a transaction has none of its own. */
    @Override
    public KvStats stats() {
        return store.stats();
    }

    /** The store's stream: the transaction's own changes enter it when the transaction ends. */
    @Override
    public ChangeStream changes() {
        return store.changes();
    }

    @Override
    public KvConfig config() {
        return store.config();
    }

    /** Closing the transaction's view does nothing; the store stays open. */
    @Override
    public void close() {}
}

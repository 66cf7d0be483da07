package dev.kv.cdi;

import dev.kv.ChangeStream;
import dev.kv.Entry;
import dev.kv.KvConfig;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import dev.kv.cdi.KvChange.Operation;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A store joined to the container's transactions: each call runs in the caller's JTA transaction
 * (or a new one without it), each write fires a {@link KvChange} in the same transaction, which
 * transactional observers receive only after commit, and each call is reported to {@link KvMetrics}.
 */
final class TransactionalKvStore implements KvStore {

    private static final String HIT = "hit";
    private static final String MISS = "miss";
    private static final String OK = "ok";
    private static final String ERROR = "error";

    private final String name;
    private final KvStore delegate;
    private final KvTransactions transactions;
    private final ChangeEvents changes;
    private final KvMetrics metrics;

    TransactionalKvStore(
            String name, KvStore delegate, KvTransactions transactions, ChangeEvents changes, KvMetrics metrics) {
        this.name = name;
        this.delegate = delegate;
        this.transactions = transactions;
        this.changes = changes;
        this.metrics = metrics;
    }

    /** Runs {@code work} in the caller's transaction (or a new one) and reports it. */
    private <T> T call(String operation, Supplier<T> work, Function<T, String> outcome) {
        long start = System.nanoTime();
        try {
            T result = transactions.required(work);
            metrics.record(name, operation, outcome.apply(result), System.nanoTime() - start);
            return result;
        } catch (RuntimeException | Error e) {
            metrics.record(name, operation, ERROR, System.nanoTime() - start);
            throw e;
        }
    }

    private <T> T call(String operation, Supplier<T> work) {
        return call(operation, work, result -> OK);
    }

    private static String found(Optional<?> value) {
        return value.isPresent() ? HIT : MISS;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return call("get", () -> delegate.get(key), TransactionalKvStore::found);
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return call("getEntry", () -> delegate.getEntry(key), TransactionalKvStore::found);
    }

    @Override
    public void set(String key, byte[] value) {
        call("set", () -> {
            delegate.set(key, value);
            return fired(key, Operation.SET);
        });
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        call("set", () -> {
            delegate.set(key, value, ttl);
            return fired(key, Operation.SET);
        });
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return call("setIfAbsent", () -> delegate.setIfAbsent(key, value) && fired(key, Operation.SET));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return call("setIfAbsent", () -> delegate.setIfAbsent(key, value, ttl) && fired(key, Operation.SET));
    }

    @Override
    public boolean delete(String key) {
        return call("delete", () -> delegate.delete(key) && fired(key, Operation.DELETE));
    }

    @Override
    public boolean exists(String key) {
        return call("exists", () -> delegate.exists(key), exists -> exists ? HIT : MISS);
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return call("expire", () -> delegate.expire(key, ttl) && fired(key, Operation.EXPIRE));
    }

    @Override
    public boolean persist(String key) {
        return call("persist", () -> delegate.persist(key) && fired(key, Operation.PERSIST));
    }

    @Override
    public Ttl ttl(String key) {
        return call("ttl", () -> delegate.ttl(key));
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return call("update", () -> {
            Optional<byte[]> value = delegate.update(key, fn);
            fired(key, Operation.UPDATE);
            return value;
        });
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return call("update", () -> {
            Optional<byte[]> value = delegate.update(key, ttl, fn);
            fired(key, Operation.UPDATE);
            return value;
        });
    }

    @Override
    public List<String> keys(String prefix) {
        return call("keys", () -> delegate.keys(prefix));
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return call("setIfVersion", () -> {
            long version = delegate.setIfVersion(key, value, expectedVersion);
            changes.fire(name, key, Operation.SET, () -> version);
            return version;
        });
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        call("deleteIfVersion", () -> {
            delegate.deleteIfVersion(key, expectedVersion);
            return fired(key, Operation.DELETE);
        });
    }

    @Override
    public long increment(String key, long delta) {
        return call("increment", () -> {
            long value = delegate.increment(key, delta);
            fired(key, Operation.UPDATE);
            return value;
        });
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        return call("getMany", () -> delegate.getMany(keys));
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        call("setMany", () -> {
            delegate.setMany(entries);
            entries.keySet().forEach(key -> fired(key, Operation.SET));
            return null;
        });
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        call("setMany", () -> {
            delegate.setMany(entries, ttl);
            entries.keySet().forEach(key -> fired(key, Operation.SET));
            return null;
        });
    }

    @Override
    public List<Boolean> apply(List<Mutation> mutations) {
        return call("apply", () -> {
            List<Boolean> results = delegate.apply(mutations);
            for (int i = 0; i < mutations.size(); i++) {
                Mutation mutation = mutations.get(i);
                if (!mutation.isDelete()) {
                    fired(mutation.key(), Operation.SET);
                } else if (results.get(i)) {
                    fired(mutation.key(), Operation.DELETE);
                }
            }
            return results;
        });
    }

    /** Runs {@code work} in the caller's transaction (or a new one); its writes fire events like any other. */
    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        return call(
                "inTransaction",
                () -> delegate.inTransaction(
                        tx -> work.apply(new TransactionalKvStore(name, tx, transactions, changes, metrics))));
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return call("keys", () -> delegate.keys(options));
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return call("scan", () -> delegate.scan(options));
    }

    @Override
    public long count(ScanOptions options) {
        return call("count", () -> delegate.count(options));
    }

    @Override
    public KvStats stats() {
        return delegate.stats();
    }

    /**
     * Runs in the caller's transaction, or one of its own: every batch is then one transaction, and
     * the deleted rows stay locked until it ends. {@link ExpiryCleaner} gives each store's cleanup a
     * transaction of its own.
     */
    @Override
    public long cleanupExpired() {
        return call("cleanupExpired", delegate::cleanupExpired);
    }

    /**
     * The delegate's stream: its calls run in the caller's transaction, if there is one, and are
     * neither reported to the metrics nor fired as {@link KvChange}s.
     */
    @Override
    public ChangeStream changes() {
        return delegate.changes();
    }

    @Override
    public KvConfig config() {
        return delegate.config();
    }

    /** The container owns the connections and transactions; there is nothing to release. */
    @Override
    public void close() {}

    /** Fires the change with the version the write left, read in the writing transaction if observed. */
    private boolean fired(String key, Operation operation) {
        changes.fire(
                name,
                key,
                operation,
                () -> operation == Operation.DELETE
                        ? 0
                        : delegate.getEntry(key).map(Entry::version).orElse(0L));
        return true;
    }

    @Override
    public String toString() {
        return "TransactionalKvStore[" + name + ", " + delegate.config() + "]";
    }
}

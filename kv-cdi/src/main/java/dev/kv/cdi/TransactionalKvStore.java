package dev.kv.cdi;

import dev.kv.Entry;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Ttl;
import dev.kv.cdi.KvChange.Operation;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A store joined to the container's transactions: each call runs in the caller's JTA transaction
 * (or a new one without it) and each write fires a {@link KvChange}, in the same transaction, that
 * transactional observers receive only after commit.
 */
final class TransactionalKvStore implements KvStore {

    private final String name;
    private final KvStore delegate;
    private final KvTransactions transactions;
    private final Event<KvChange> changes;

    TransactionalKvStore(String name, KvStore delegate, KvTransactions transactions, Event<KvChange> changes) {
        this.name = name;
        this.delegate = delegate;
        this.transactions = transactions;
        this.changes = changes;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return transactions.required(() -> delegate.get(key));
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return transactions.required(() -> delegate.getEntry(key));
    }

    @Override
    public void set(String key, byte[] value) {
        transactions.required(() -> {
            delegate.set(key, value);
            return fired(key, Operation.SET);
        });
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        transactions.required(() -> {
            delegate.set(key, value, ttl);
            return fired(key, Operation.SET);
        });
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return transactions.required(() -> delegate.setIfAbsent(key, value) && fired(key, Operation.SET));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return transactions.required(() -> delegate.setIfAbsent(key, value, ttl) && fired(key, Operation.SET));
    }

    @Override
    public boolean delete(String key) {
        return transactions.required(() -> delegate.delete(key) && fired(key, Operation.DELETE));
    }

    @Override
    public boolean exists(String key) {
        return transactions.required(() -> delegate.exists(key));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return transactions.required(() -> delegate.expire(key, ttl) && fired(key, Operation.EXPIRE));
    }

    @Override
    public boolean persist(String key) {
        return transactions.required(() -> delegate.persist(key) && fired(key, Operation.PERSIST));
    }

    @Override
    public Ttl ttl(String key) {
        return transactions.required(() -> delegate.ttl(key));
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return transactions.required(() -> {
            Optional<byte[]> value = delegate.update(key, fn);
            fired(key, Operation.UPDATE);
            return value;
        });
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return transactions.required(() -> {
            Optional<byte[]> value = delegate.update(key, ttl, fn);
            fired(key, Operation.UPDATE);
            return value;
        });
    }

    @Override
    public List<String> keys(String prefix) {
        return transactions.required(() -> delegate.keys(prefix));
    }

    /** Runs in the caller's transaction, or one of its own; see {@link ExpiryCleaner} for the scheduled run. */
    @Override
    public long cleanupExpired() {
        return transactions.required(delegate::cleanupExpired);
    }

    @Override
    public KvConfig config() {
        return delegate.config();
    }

    /** The container owns the connections and transactions; there is nothing to release. */
    @Override
    public void close() {}

    /** Fires the change with the version the write left, read in the writing transaction. */
    private boolean fired(String key, Operation operation) {
        long version = operation == Operation.DELETE ? 0 : delegate.getEntry(key).map(Entry::version).orElse(0L);
        changes.fire(new KvChange(name, key, operation, version));
        return true;
    }

    @Override
    public String toString() {
        return "TransactionalKvStore[" + name + ", " + delegate.config() + "]";
    }
}

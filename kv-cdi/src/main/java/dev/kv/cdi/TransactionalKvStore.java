package dev.kv.cdi;

import dev.kv.CasResult;
import dev.kv.Entry;
import dev.kv.ForwardingKvStore;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.cdi.KvChange.Operation;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A store joined to the container's transactions: each call runs in the caller's JTA transaction
 * (or a new one without it), each write fires a {@link KvChange} per key in the same transaction,
 * which transactional observers receive only after commit, and each call is reported to {@link
 * KvMetrics} under the name of its {@link KvStore} method. Every call goes to the store's own
 * implementation: a bulk delete is one statement, or, when {@link KvChange} is observed, a constant
 * few that tell which keys it deleted.
 *
 * <p>{@code cleanupExpired} runs in the caller's transaction too, or in one of its own: every batch is
 * then one transaction, and the deleted rows stay locked until it ends ({@link ExpiryCleaner} gives
 * each store's cleanup a transaction of its own); expired entries leave without events. {@code
 * stats}, {@code config} and {@code changes} go straight to the delegate: the stream's calls run in
 * the caller's transaction, if there is one, and are neither reported nor fired as events.
 */
final class TransactionalKvStore extends ForwardingKvStore {

    private static final String HIT = "hit";
    private static final String MISS = "miss";
    private static final String OK = "ok";
    private static final String ERROR = "error";

    private final String name;
    private final KvTransactions transactions;
    private final ChangeEvents changes;
    private final KvMetrics metrics;

    TransactionalKvStore(
            String name, KvStore delegate, KvTransactions transactions, ChangeEvents changes, KvMetrics metrics) {
        super(delegate);
        this.name = name;
        this.transactions = transactions;
        this.changes = changes;
        this.metrics = metrics;
    }

    /** Runs every call in the caller's transaction (or a new one) and reports it. */
    @Override
    protected <T> T forward(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = transactions.required(call);
            metrics.record(name, operation, outcome(operation, result), System.nanoTime() - start);
            return result;
        } catch (RuntimeException | Error e) {
            metrics.record(name, operation, ERROR, System.nanoTime() - start);
            throw e;
        }
    }

    private static String outcome(String operation, Object result) {
        return switch (operation) {
            case "get", "getEntry" -> ((Optional<?>) result).isPresent() ? HIT : MISS;
            case "exists" -> (Boolean) result ? HIT : MISS;
            default -> OK;
        };
    }

    /** The transaction's store, joined and reported the same way: its writes fire events like any other. */
    @Override
    protected KvStore over(KvStore transaction) {
        return new TransactionalKvStore(name, transaction, transactions, changes, metrics);
    }

    /** Runs the write of {@code key} and, in the same transaction, fires the change it made, if it made one. */
    @Override
    protected <T> T forwardWrite(String operation, String key, Supplier<T> call) {
        return forward(operation, () -> {
            T result = call.get();
            fireIfChanged(operation, key, result);
            return result;
        });
    }

    /** The change each write of one entry makes, told by its result where it may change nothing. */
    private void fireIfChanged(String operation, String key, Object result) {
        switch (operation) {
            case "set", "getAndSet" -> fire(key, Operation.SET);
            case "setIfAbsent" -> fireIf((Boolean) result, key, Operation.SET);
            case "tryLock" -> fireIf(((Optional<?>) result).isPresent(), key, Operation.SET);
            case "renew" -> fireIf(((Optional<?>) result).isPresent(), key, Operation.UPDATE);
            case "setIfVersion" -> changes.fire(name, key, Operation.SET, () -> (Long) result);
            case "delete", "unlock" -> fireIf((Boolean) result, key, Operation.DELETE);
            case "deleteIfVersion" -> fire(key, Operation.DELETE);
            case "getAndDelete" -> fireIf(((Optional<?>) result).isPresent(), key, Operation.DELETE);
            case "expire" -> fireIf((Boolean) result, key, Operation.EXPIRE);
            case "persist" -> fireIf((Boolean) result, key, Operation.PERSIST);
            case "compareAndSwap" -> fireIf(((CasResult) result).isSwapped(), key, Operation.UPDATE);
            case "update", "increment", "decrement", "patch" -> fire(key, Operation.UPDATE);
            default -> throw new IllegalStateException("no change event is defined for " + operation);
        }
    }

    private void fireIf(boolean changed, String key, Operation operation) {
        if (changed) {
            fire(key, operation);
        }
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        forward("setMany", () -> {
            delegate().setMany(entries);
            entries.keySet().forEach(key -> fire(key, Operation.SET));
            return null;
        });
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        forward("setMany", () -> {
            delegate().setMany(entries, ttl);
            entries.keySet().forEach(key -> fire(key, Operation.SET));
            return null;
        });
    }

    @Override
    public List<Long> apply(List<Mutation> mutations) {
        if (mutations == null) {
            throw new KvValidationException("mutations must not be null");
        }
        return forward("apply", () -> {
            boolean selects = mutations.stream().anyMatch(m -> m != null && m.kind() == Mutation.Kind.DELETE_SELECTION);
            if (!selects || !changes.observed()) {
                List<Long> results = delegate().apply(mutations);
                fireEach(mutations, results);
                return results;
            }
            SelectionExpansion expansion = SelectionExpansion.of(delegate(), mutations);
            List<Long> results = delegate().apply(expansion.mutations());
            fireEach(expansion.mutations(), results);
            return expansion.results(results);
        });
    }

    /** Fires a SET per put and patch, a DELETE per key delete that removed a live entry. */
    private void fireEach(List<Mutation> applied, List<Long> results) {
        for (int i = 0; i < applied.size(); i++) {
            Mutation mutation = applied.get(i);
            if (!mutation.isDelete()) {
                fire(mutation.key(), Operation.SET);
            } else if (mutation.key() != null && results.get(i) > 0) {
                fire(mutation.key(), Operation.DELETE);
            }
        }
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return forward(
                "deleteMany",
                () -> changes.observed() ? deletedEach(keys) : delegate().deleteMany(keys));
    }

    @Override
    public long delete(ScanOptions options) {
        return deleted("delete", options);
    }

    @Override
    public long deletePrefix(String prefix) {
        return deleted("deletePrefix", ScanOptions.prefix(prefix));
    }

    @Override
    public long deletePrefix(String prefix, int limit) {
        return deleted("deletePrefix", ScanOptions.prefix(prefix).limit(limit));
    }

    @Override
    public long deleteRange(String from, String to) {
        return deleted("deleteRange", ScanOptions.range(from, to));
    }

    @Override
    public long deleteRange(String from, String to, int limit) {
        return deleted("deleteRange", ScanOptions.range(from, to).limit(limit));
    }

    @Override
    public long clear() {
        return deleted("clear", ScanOptions.all());
    }

    /**
     * Deletes what {@code options} selects with the store's bulk delete, one statement; when {@link
     * KvChange} is observed, lists the selected keys and deletes them as one batch, which tells per key
     * whether it deleted a live entry, and fires a {@code DELETE} for each that it did.
     */
    private long deleted(String operation, ScanOptions options) {
        if (options == null) {
            throw new KvValidationException("options must not be null");
        }
        return forward(
                operation,
                () -> changes.observed()
                        ? deletedEach(delegate().keys(options))
                        : delegate().delete(options));
    }

    private long deletedEach(Collection<String> keys) {
        if (keys == null) {
            throw new KvValidationException("keys must not be null");
        }
        List<String> distinct = List.copyOf(new LinkedHashSet<>(keys));
        List<Long> removed =
                delegate().apply(distinct.stream().map(Mutation::delete).toList());
        long deleted = 0;
        for (int i = 0; i < distinct.size(); i++) {
            if (removed.get(i) > 0) {
                fire(distinct.get(i), Operation.DELETE);
                deleted++;
            }
        }
        return deleted;
    }

    /** Fires the change with the version the write left, read in the writing transaction if observed. */
    private void fire(String key, Operation operation) {
        changes.fire(name, key, operation, () -> operation == Operation.DELETE ? 0 : versionOf(key));
    }

    /**
     * The version of {@code key}, read by a scan rather than a get, so the application's {@link
     * #stats()} count only its own reads. A key sorts first among the keys it prefixes.
     */
    private long versionOf(String key) {
        return delegate().scan(ScanOptions.prefix(key).limit(1)).stream()
                .filter(entry -> entry.key().equals(key))
                .mapToLong(Entry::version)
                .findFirst()
                .orElse(0L);
    }

    /** The container owns the connections and transactions; there is nothing to release. */
    @Override
    public void close() {}

    @Override
    public String toString() {
        return "TransactionalKvStore[" + name + ", " + config() + "]";
    }
}

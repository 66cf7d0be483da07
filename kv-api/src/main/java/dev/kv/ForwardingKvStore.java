package dev.kv;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A store that forwards every call to another one: the base of a view, which overrides only what it
 * transforms. Every {@link KvStore} method, the default ones included, is declared here and goes to the
 * delegate's own implementation (its one-statement bulk delete, its native counter), so adding a method
 * to {@code KvStore} can never make a view fall back to a default that bypasses what the view does.
 *
 * <p>Each operation on entries passes through {@link #forward} with its name, the name of the {@code
 * KvStore} method (both overloads of a method share it): a view that must wrap every call — in a
 * transaction, with a timer — overrides that one hook; a write of one entry passes {@link #forwardWrite}
 * first, with the entry's key, for a view that must know what each write changes. An operation on one entry
 * sends the delegate {@link #delegateKey}, so a view that maps keys overrides only that (and what returns
 * keys), and {@link #delegateKeys}, {@link #delegateEntries} and {@link #returnedEntries} do the same for the
 * operations on several entries. What is not an operation on entries does not pass
 * it: {@link #config()}, {@link #stats()}, {@link #changes()} and {@link #close()} go straight to the
 * delegate, and {@link #namespace} and {@link #encrypted} make their view over this one, as on any store.
 *
 * <p>A view overriding a method usually calls its {@code super} with transformed arguments, so the call
 * still passes the hook. Mind that the derived operations ({@code increment}, {@code compareAndSwap},
 * {@code getAndSet}, {@code tryLock}, ...) are forwarded too: a view that transforms values must
 * override them, and {@link #close()} closes the delegate: a view that does not own it overrides that.
 */
public abstract class ForwardingKvStore implements KvStore {

    private final KvStore delegate;

    protected ForwardingKvStore(KvStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** The store every call goes to. */
    protected final KvStore delegate() {
        return delegate;
    }

    /**
     * Runs {@code call}, the forwarded operation {@code operation} (e.g. {@code "get"}), and returns its
     * result ({@code null} for a method returning nothing). The default just runs it.
     */
    protected <T> T forward(String operation, Supplier<T> call) {
        return call.get();
    }

    /**
     * Runs {@code call}, the forwarded write {@code operation} of the one entry this view calls {@code key}
     * ({@code set}, {@code delete}, {@code increment}, {@code tryLock}, ...), and returns its result. The
     * default passes it to {@link #forward}; a view that must know which entry each write changes (to fire
     * an event for it, to remember it for a rollback) overrides this one hook.
     */
    protected <T> T forwardWrite(String operation, String key, Supplier<T> call) {
        return forward(operation, call);
    }

    /**
     * The key this view sends its delegate for the entry it calls {@code key}: every operation on one entry
     * forwards this key. A view that maps keys (a namespace) overrides it; the default keeps the key.
     */
    protected String delegateKey(String key) {
        return key;
    }

    /**
     * This view over {@code transaction}, the store the delegate gives the work of {@link
     * #inTransaction}: the work sees the transaction through the same view as the store.
     */
    protected abstract KvStore over(KvStore transaction);

    private void run(String operation, Runnable call) {
        forward(operation, () -> {
            call.run();
            return null;
        });
    }

    private void runWrite(String operation, String key, Runnable call) {
        forwardWrite(operation, key, () -> {
            call.run();
            return null;
        });
    }

    /** The keys this view sends its delegate for the entries it calls {@code keys} ({@code getMany}, {@code deleteMany}). */
    protected Collection<String> delegateKeys(Collection<String> keys) {
        return keys;
    }

    /** The entries this view sends its delegate for the entries it is given to write ({@code setMany}). */
    protected Map<String, byte[]> delegateEntries(Map<String, byte[]> entries) {
        return entries;
    }

    /** The entries this view returns for those its delegate read ({@code getMany}). */
    protected Map<String, byte[]> returnedEntries(Map<String, byte[]> entries) {
        return entries;
    }

    /**
     * {@code entries} with each key and value rewritten as a view sends them to its delegate or returns
     * them to its caller, in their order; {@code entries} must not be null.
     */
    static Map<String, byte[]> rewritten(
            Map<String, byte[]> entries, UnaryOperator<String> key, BiFunction<String, byte[], byte[]> value) {
        if (entries == null) {
            throw new KvValidationException("entries must not be null");
        }
        Map<String, byte[]> rewritten = new LinkedHashMap<>();
        entries.forEach((k, v) -> rewritten.put(key.apply(k), value.apply(k, v)));
        return rewritten;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return forward("get", () -> delegate.get(delegateKey(key)));
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return forward("getEntry", () -> delegate.getEntry(delegateKey(key)));
    }

    @Override
    public byte[] getOrThrow(String key) {
        return forward("getOrThrow", () -> delegate.getOrThrow(delegateKey(key)));
    }

    @Override
    public boolean exists(String key) {
        return forward("exists", () -> delegate.exists(delegateKey(key)));
    }

    /**
     * The key under which {@code store} keeps the entry it calls {@code key}: the key as the store at
     * the bottom of its chain of views holds it, a namespace's prefix included.
     */
    static String storedKey(KvStore store, String key) {
        return store instanceof ForwardingKvStore view ? storedKey(view.delegate, view.delegateKey(key)) : key;
    }

    @Override
    public Ttl ttl(String key) {
        return forward("ttl", () -> delegate.ttl(delegateKey(key)));
    }

    @Override
    public void set(String key, byte[] value) {
        runWrite("set", key, () -> delegate.set(delegateKey(key), value));
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        runWrite("set", key, () -> delegate.set(delegateKey(key), value, ttl));
    }

    // Expiry: idle entries and the default expiry.

    @Override
    public void set(String key, byte[] value, Expiry expiry) {
        runWrite("set", key, () -> delegate.set(delegateKey(key), value, expiry));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Expiry expiry) {
        return forwardWrite("setIfAbsent", key, () -> delegate.setIfAbsent(delegateKey(key), value, expiry));
    }

    @Override
    public boolean expire(String key, Expiry expiry) {
        return forwardWrite("expire", key, () -> delegate.expire(delegateKey(key), expiry));
    }

    // Streams: paged through this view's own scan, so a view's keys and values come out transformed and
    // each page passes the hook as a "scan" (in a container, one transaction per page).

    @Override
    public Stream<Entry> stream(ScanOptions options) {
        return KvStore.super.stream(options);
    }

    @Override
    public Stream<Entry> stream(ScanOptions options, int pageSize) {
        return KvStore.super.stream(options, pageSize);
    }

    @Override
    public Stream<String> streamKeys(ScanOptions options, int pageSize) {
        return KvStore.super.streamKeys(options, pageSize);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value) {
        return forwardWrite("setIfAbsent", key, () -> delegate.setIfAbsent(delegateKey(key), value));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return forwardWrite("setIfAbsent", key, () -> delegate.setIfAbsent(delegateKey(key), value, ttl));
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return forwardWrite("setIfVersion", key, () -> delegate.setIfVersion(delegateKey(key), value, expectedVersion));
    }

    @Override
    public boolean delete(String key) {
        return forwardWrite("delete", key, () -> delegate.delete(delegateKey(key)));
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        runWrite("deleteIfVersion", key, () -> delegate.deleteIfVersion(delegateKey(key), expectedVersion));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return forwardWrite("expire", key, () -> delegate.expire(delegateKey(key), ttl));
    }

    @Override
    public boolean persist(String key) {
        return forwardWrite("persist", key, () -> delegate.persist(delegateKey(key)));
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return forwardWrite("update", key, () -> delegate.update(delegateKey(key), fn));
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return forwardWrite("update", key, () -> delegate.update(delegateKey(key), ttl, fn));
    }

    @Override
    public long increment(String key, long delta) {
        return forwardWrite("increment", key, () -> delegate.increment(delegateKey(key), delta));
    }

    @Override
    public long increment(String key) {
        return forwardWrite("increment", key, () -> delegate.increment(delegateKey(key)));
    }

    @Override
    public long decrement(String key, long delta) {
        return forwardWrite("decrement", key, () -> delegate.decrement(delegateKey(key), delta));
    }

    @Override
    public long decrement(String key) {
        return forwardWrite("decrement", key, () -> delegate.decrement(delegateKey(key)));
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement) {
        return forwardWrite(
                "compareAndSwap", key, () -> delegate.compareAndSwap(delegateKey(key), expected, replacement));
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl) {
        return forwardWrite(
                "compareAndSwap", key, () -> delegate.compareAndSwap(delegateKey(key), expected, replacement, ttl));
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value) {
        return forwardWrite("getAndSet", key, () -> delegate.getAndSet(delegateKey(key), value));
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl) {
        return forwardWrite("getAndSet", key, () -> delegate.getAndSet(delegateKey(key), value, ttl));
    }

    @Override
    public Optional<byte[]> getAndDelete(String key) {
        return forwardWrite("getAndDelete", key, () -> delegate.getAndDelete(delegateKey(key)));
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch) {
        return forwardWrite("patch", key, () -> delegate.patch(delegateKey(key), mergePatch));
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch, long expectedVersion) {
        return forwardWrite("patch", key, () -> delegate.patch(delegateKey(key), mergePatch, expectedVersion));
    }

    @Override
    public Optional<Lease> tryLock(String name, String owner, Duration lease) {
        return forwardWrite("tryLock", name, () -> delegate.tryLock(delegateKey(name), owner, lease)
                .map(held -> held.named(name)));
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration duration) {
        String name = leaseName(lease);
        return forwardWrite("renew", name, () -> delegate.renew(lease.named(delegateKey(name)), duration)
                .map(held -> held.named(name)));
    }

    @Override
    public boolean unlock(Lease lease) {
        String name = leaseName(lease);
        return forwardWrite("unlock", name, () -> delegate.unlock(lease.named(delegateKey(name))));
    }

    @Override
    public Optional<Lease> lockStatus(String name) {
        return forward(
                "lockStatus", () -> delegate.lockStatus(delegateKey(name)).map(held -> held.named(name)));
    }

    private static String leaseName(Lease lease) {
        if (lease == null) {
            throw new KvValidationException("lease must not be null");
        }
        return lease.name();
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        return forward("getMany", () -> returnedEntries(delegate.getMany(delegateKeys(keys))));
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        run("setMany", () -> delegate.setMany(delegateEntries(entries)));
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        run("setMany", () -> delegate.setMany(delegateEntries(entries), ttl));
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return forward("deleteMany", () -> delegate.deleteMany(delegateKeys(keys)));
    }

    @Override
    public List<Long> apply(List<Mutation> mutations) {
        return forward("apply", () -> delegate.apply(mutations));
    }

    @Override
    public List<String> keys(String prefix) {
        return forward("keys", () -> delegate.keys(prefix));
    }

    @Override
    public List<String> keys(ScanOptions options) {
        return forward("keys", () -> delegate.keys(options));
    }

    @Override
    public List<Entry> scan(ScanOptions options) {
        return forward("scan", () -> delegate.scan(options));
    }

    @Override
    public long count(ScanOptions options) {
        return forward("count", () -> delegate.count(options));
    }

    @Override
    public long delete(ScanOptions options) {
        return forward("delete", () -> delegate.delete(options));
    }

    @Override
    public long deletePrefix(String prefix) {
        return forward("deletePrefix", () -> delegate.deletePrefix(prefix));
    }

    @Override
    public long deletePrefix(String prefix, int limit) {
        return forward("deletePrefix", () -> delegate.deletePrefix(prefix, limit));
    }

    @Override
    public long deleteRange(String from, String to) {
        return forward("deleteRange", () -> delegate.deleteRange(from, to));
    }

    @Override
    public long deleteRange(String from, String to, int limit) {
        return forward("deleteRange", () -> delegate.deleteRange(from, to, limit));
    }

    @Override
    public long clear() {
        return forward("clear", delegate::clear);
    }

    @Override
    public <T> T inTransaction(Function<KvStore, T> work) {
        if (work == null) {
            throw new KvValidationException("work must not be null");
        }
        return forward("inTransaction", () -> delegate.inTransaction(transaction -> work.apply(over(transaction))));
    }

    @Override
    public long cleanupExpired() {
        return forward("cleanupExpired", delegate::cleanupExpired);
    }

    @Override
    public KvStats stats() {
        return delegate.stats();
    }

    @Override
    public ChangeStream changes() {
        return delegate.changes();
    }

    @Override
    public KvConfig config() {
        return delegate.config();
    }

    /** A namespace of this view, as {@link KvStore#namespace} makes of any store. */
    @Override
    public KvStore namespace(String... path) {
        return NamespacedKvStore.of(this, Arrays.asList(path));
    }

    /** An encrypted view of this view, as {@link KvStore#encrypted} makes of any store. */
    @Override
    public EncryptedKvStore encrypted(Encryptor encryptor) {
        return new EncryptedKvStore(this, encryptor);
    }

    @Override
    public void close() {
        delegate.close();
    }
}

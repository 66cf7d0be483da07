package dev.kv;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * transaction, with a timer — overrides that one hook. What is not an operation on entries does not pass
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

    @Override
    public Optional<byte[]> get(String key) {
        return forward("get", () -> delegate.get(key));
    }

    @Override
    public Optional<Entry> getEntry(String key) {
        return forward("getEntry", () -> delegate.getEntry(key));
    }

    @Override
    public byte[] getOrThrow(String key) {
        return forward("getOrThrow", () -> delegate.getOrThrow(key));
    }

    @Override
    public boolean exists(String key) {
        return forward("exists", () -> delegate.exists(key));
    }

    /**
     * The key this view sends its delegate for the entry it calls {@code key}. A view that maps keys (a
     * namespace) overrides it with the same mapping its operations use; the default keeps the key.
     */
    protected String delegateKey(String key) {
        return key;
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
        return forward("ttl", () -> delegate.ttl(key));
    }

    @Override
    public void set(String key, byte[] value) {
        run("set", () -> delegate.set(key, value));
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        run("set", () -> delegate.set(key, value, ttl));
    }

    // Expiry: idle entries and the default expiry.

    @Override
    public void set(String key, byte[] value, Expiry expiry) {
        run("set", () -> delegate.set(key, value, expiry));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Expiry expiry) {
        return forward("setIfAbsent", () -> delegate.setIfAbsent(key, value, expiry));
    }

    @Override
    public boolean expire(String key, Expiry expiry) {
        return forward("expire", () -> delegate.expire(key, expiry));
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
        return forward("setIfAbsent", () -> delegate.setIfAbsent(key, value));
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return forward("setIfAbsent", () -> delegate.setIfAbsent(key, value, ttl));
    }

    @Override
    public long setIfVersion(String key, byte[] value, long expectedVersion) {
        return forward("setIfVersion", () -> delegate.setIfVersion(key, value, expectedVersion));
    }

    @Override
    public boolean delete(String key) {
        return forward("delete", () -> delegate.delete(key));
    }

    @Override
    public void deleteIfVersion(String key, long expectedVersion) {
        run("deleteIfVersion", () -> delegate.deleteIfVersion(key, expectedVersion));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return forward("expire", () -> delegate.expire(key, ttl));
    }

    @Override
    public boolean persist(String key) {
        return forward("persist", () -> delegate.persist(key));
    }

    @Override
    public Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return forward("update", () -> delegate.update(key, fn));
    }

    @Override
    public Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return forward("update", () -> delegate.update(key, ttl, fn));
    }

    @Override
    public long increment(String key, long delta) {
        return forward("increment", () -> delegate.increment(key, delta));
    }

    @Override
    public long increment(String key) {
        return forward("increment", () -> delegate.increment(key));
    }

    @Override
    public long decrement(String key, long delta) {
        return forward("decrement", () -> delegate.decrement(key, delta));
    }

    @Override
    public long decrement(String key) {
        return forward("decrement", () -> delegate.decrement(key));
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement) {
        return forward("compareAndSwap", () -> delegate.compareAndSwap(key, expected, replacement));
    }

    @Override
    public CasResult compareAndSwap(String key, byte[] expected, byte[] replacement, Duration ttl) {
        return forward("compareAndSwap", () -> delegate.compareAndSwap(key, expected, replacement, ttl));
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value) {
        return forward("getAndSet", () -> delegate.getAndSet(key, value));
    }

    @Override
    public Optional<byte[]> getAndSet(String key, byte[] value, Duration ttl) {
        return forward("getAndSet", () -> delegate.getAndSet(key, value, ttl));
    }

    @Override
    public Optional<byte[]> getAndDelete(String key) {
        return forward("getAndDelete", () -> delegate.getAndDelete(key));
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch) {
        return forward("patch", () -> delegate.patch(key, mergePatch));
    }

    @Override
    public byte[] patch(String key, byte[] mergePatch, long expectedVersion) {
        return forward("patch", () -> delegate.patch(key, mergePatch, expectedVersion));
    }

    @Override
    public Optional<Lease> tryLock(String name, String owner, Duration lease) {
        return forward("tryLock", () -> delegate.tryLock(name, owner, lease));
    }

    @Override
    public Optional<Lease> renew(Lease lease, Duration duration) {
        return forward("renew", () -> delegate.renew(lease, duration));
    }

    @Override
    public boolean unlock(Lease lease) {
        return forward("unlock", () -> delegate.unlock(lease));
    }

    @Override
    public Optional<Lease> lockStatus(String name) {
        return forward("lockStatus", () -> delegate.lockStatus(name));
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        return forward("getMany", () -> delegate.getMany(keys));
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        run("setMany", () -> delegate.setMany(entries));
    }

    @Override
    public void setMany(Map<String, byte[]> entries, Duration ttl) {
        run("setMany", () -> delegate.setMany(entries, ttl));
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return forward("deleteMany", () -> delegate.deleteMany(keys));
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

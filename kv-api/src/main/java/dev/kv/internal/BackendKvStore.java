package dev.kv.internal;

import dev.kv.Expiry;
import dev.kv.KvStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The base of a backend: the {@link KvStore} overloads with and without a TTL or an {@link Expiry}, mapped
 * alike for every backend onto the one method per operation the backend writes. Without either the entry
 * gets the store's default expiry (a {@code null} there); a given one is checked by the {@link
 * OperationFront} first.
 */
public abstract class BackendKvStore implements KvStore {

    protected final OperationFront front;

    protected BackendKvStore(OperationFront front) {
        this.front = front;
    }

    /** Writes the entry; {@code expiry} is checked, {@code null} for the store's default. */
    protected abstract void write(String key, byte[] value, Expiry expiry);

    /**
     * Writes the entry if no live entry holds its key; {@code expiry} is checked, {@code null} for the store's
     * default.
     */
    protected abstract boolean insertIfAbsent(String key, byte[] value, Expiry expiry);

    /** Writes every entry; {@code ttl} is checked, {@code null} for none. */
    protected abstract void writeMany(Map<String, byte[]> entries, Duration ttl);

    /** Replaces the entry's value by {@code fn}'s; {@code ttl} is checked, {@code null} for none. */
    protected abstract Optional<byte[]> readModifyWrite(String key, Duration ttl, UnaryOperator<byte[]> fn);

    @Override
    public final void set(String key, byte[] value) {
        write(key, value, null);
    }

    @Override
    public final void set(String key, byte[] value, Duration ttl) {
        write(key, value, Expiry.after(front.ttl(ttl)));
    }

    @Override
    public final void set(String key, byte[] value, Expiry expiry) {
        write(key, value, OperationFront.expiry(expiry));
    }

    @Override
    public final boolean setIfAbsent(String key, byte[] value) {
        return insertIfAbsent(key, value, null);
    }

    @Override
    public final boolean setIfAbsent(String key, byte[] value, Duration ttl) {
        return insertIfAbsent(key, value, Expiry.after(front.ttl(ttl)));
    }

    @Override
    public final boolean setIfAbsent(String key, byte[] value, Expiry expiry) {
        return insertIfAbsent(key, value, OperationFront.expiry(expiry));
    }

    @Override
    public final void setMany(Map<String, byte[]> entries) {
        writeMany(entries, null);
    }

    @Override
    public final void setMany(Map<String, byte[]> entries, Duration ttl) {
        writeMany(entries, front.ttl(ttl));
    }

    @Override
    public final Optional<byte[]> update(String key, UnaryOperator<byte[]> fn) {
        return readModifyWrite(key, null, fn);
    }

    @Override
    public final Optional<byte[]> update(String key, Duration ttl, UnaryOperator<byte[]> fn) {
        return readModifyWrite(key, front.ttl(ttl), fn);
    }
}

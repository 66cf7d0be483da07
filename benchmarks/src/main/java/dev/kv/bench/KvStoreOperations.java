package dev.kv.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** kv through its public API, on a pool the benchmark owns. */
record KvStoreOperations(KvStore store, HikariDataSource pool) implements KvOperations {

    @Override
    public byte[] get(String key) {
        return store.get(key).orElse(null);
    }

    @Override
    public boolean exists(String key) {
        return store.exists(key);
    }

    @Override
    public void set(String key, byte[] value) {
        store.set(key, value);
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        store.set(key, value, ttl);
    }

    @Override
    public boolean delete(String key) {
        return store.delete(key);
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> fn) {
        return store.update(key, fn).orElse(null);
    }

    @Override
    public List<String> keys(String prefix) {
        return store.keys(prefix);
    }

    @Override
    public Map<String, byte[]> getMany(List<String> keys) {
        return store.getMany(keys);
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        store.setMany(entries);
    }

    @Override
    public long increment(String key, long delta) {
        return store.increment(key, delta);
    }

    @Override
    public List<String> keysPage(String prefix, String after, int limit) {
        ScanOptions page = ScanOptions.prefix(prefix).limit(limit);
        return store.keys(after == null ? page : page.after(after));
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            pool.close();
        }
    }
}

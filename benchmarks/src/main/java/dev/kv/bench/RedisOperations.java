package dev.kv.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis through Jedis, with a pool as large as the PostgreSQL ones. Every key is put under
 * {@link #NAMESPACE} so a run leaves other data in that Redis alone. {@code update} is the optimistic
 * WATCH / GET / MULTI / SET / EXEC loop; {@code keys} is a SCAN with MATCH, because Redis keeps no
 * key order to range over. {@code getMany} is MGET, {@code setMany} MSET (one atomic command),
 * {@code increment} INCRBY. {@code keysPage} is the usual Redis answer to ordered paging: a sorted
 * set of the key names, {@link #KEY_INDEX}, read with ZRANGEBYLEX from the cursor; it is filled with
 * the pre-filled keys and, unlike kv's key index, not kept up to date by writes.
 */
final class RedisOperations implements KvOperations {

    static final String NAMESPACE = "kvbench:";

    /** The sorted set (all scores 0, so ordered by name) of the pre-filled key names. */
    static final String KEY_INDEX = NAMESPACE + "index";

    private final JedisPool pool;

    RedisOperations(String url, int poolSize) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(poolSize);
        config.setMaxIdle(poolSize);
        config.setMinIdle(poolSize);
        this.pool = new JedisPool(config, java.net.URI.create(url));
    }

    private static byte[] key(String key) {
        return (NAMESPACE + key).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] get(String key) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.get(key(key));
        }
    }

    @Override
    public boolean exists(String key) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.exists(key(key));
        }
    }

    @Override
    public void set(String key, byte[] value) {
        try (Jedis jedis = pool.getResource()) {
            jedis.set(key(key), value);
        }
    }

    @Override
    public void set(String key, byte[] value, Duration ttl) {
        try (Jedis jedis = pool.getResource()) {
            jedis.set(key(key), value, SetParams.setParams().px(ttl.toMillis()));
        }
    }

    @Override
    public boolean delete(String key) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.del(key(key)) == 1;
        }
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> fn) {
        byte[] k = key(key);
        try (Jedis jedis = pool.getResource()) {
            while (true) {
                jedis.watch(k);
                byte[] next = fn.apply(jedis.get(k));
                Transaction transaction = jedis.multi();
                transaction.set(k, next);
                if (transaction.exec() != null) {
                    return next;
                }
            }
        }
    }

    @Override
    public List<String> keys(String prefix) {
        ScanParams params =
                new ScanParams().match(NAMESPACE + escapeGlob(prefix) + "*").count(1000);
        List<String> keys = new ArrayList<>();
        try (Jedis jedis = pool.getResource()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                for (String key : page.getResult()) {
                    keys.add(key.substring(NAMESPACE.length()));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return keys;
    }

    @Override
    public Map<String, byte[]> getMany(List<String> keys) {
        byte[][] names = new byte[keys.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = key(keys.get(i));
        }
        List<byte[]> values;
        try (Jedis jedis = pool.getResource()) {
            values = jedis.mget(names);
        }
        Map<String, byte[]> found = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (values.get(i) != null) {
                found.put(keys.get(i), values.get(i));
            }
        }
        return found;
    }

    @Override
    public void setMany(Map<String, byte[]> entries) {
        byte[][] keysAndValues = new byte[2 * entries.size()][];
        int i = 0;
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            keysAndValues[i++] = key(entry.getKey());
            keysAndValues[i++] = entry.getValue();
        }
        try (Jedis jedis = pool.getResource()) {
            jedis.mset(keysAndValues);
        }
    }

    @Override
    public long increment(String key, long delta) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.incrBy(key(key), delta);
        }
    }

    /** Only for prefixes whose last character can be incremented, as the benchmark's are. */
    @Override
    public List<String> keysPage(String prefix, String after, int limit) {
        String upper = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        try (Jedis jedis = pool.getResource()) {
            return jedis.zrangeByLex(KEY_INDEX, after == null ? "[" + prefix : "(" + after, "(" + upper, 0, limit);
        }
    }

    private static String escapeGlob(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /**
     * Writes {@code count} keys named by {@link BenchKeys#key} with their {@link #KEY_INDEX} and
     * {@link BenchKeys#COUNTERS} counters at 0, after removing what an earlier run left.
     */
    void refill(int count, byte[] value) {
        try (Jedis jedis = pool.getResource()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().match(NAMESPACE + "*").count(10_000);
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                if (!page.getResult().isEmpty()) {
                    jedis.unlink(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            var pipeline = jedis.pipelined();
            for (int i = 0; i < count; i++) {
                pipeline.set(key(BenchKeys.key(i)), value);
                pipeline.zadd(KEY_INDEX, 0, BenchKeys.key(i));
            }
            for (int i = 0; i < BenchKeys.COUNTERS; i++) {
                pipeline.set(key(BenchKeys.counterKey(i)), "0".getBytes(StandardCharsets.US_ASCII));
            }
            pipeline.sync();
        }
    }

    String serverVersion() {
        try (Jedis jedis = pool.getResource()) {
            return jedis.info("server")
                    .lines()
                    .filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).trim())
                    .findFirst()
                    .orElse("unknown");
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

package dev.kv.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.jpa.JpaKvStores;

/** The implementations compared, by the name the {@code impl} benchmark parameter uses. */
enum Implementation {
    KV_LOGGED("kv-logged", "kv_logged", false),
    KV_UNLOGGED("kv-unlogged", "kv_unlogged", true),
    JDBC_LOGGED("jdbc-logged", "jdbc_logged", false),
    JDBC_UNLOGGED("jdbc-unlogged", "jdbc_unlogged", true),
    REDIS("redis", null, false);

    final String id;
    /** Its PostgreSQL table in {@link BenchSettings#SCHEMA}, or null for Redis. */
    final String table;

    final boolean unlogged;

    Implementation(String id, String table, boolean unlogged) {
        this.id = id;
        this.table = table;
        this.unlogged = unlogged;
    }

    static Implementation byId(String id) {
        for (Implementation implementation : values()) {
            if (implementation.id.equals(id)) {
                return implementation;
            }
        }
        throw new IllegalArgumentException("no implementation \"" + id + "\"");
    }

    boolean isKv() {
        return this == KV_LOGGED || this == KV_UNLOGGED;
    }

    KvOperations open(BenchSettings settings) {
        return switch (this) {
            case KV_LOGGED, KV_UNLOGGED -> openKv(settings, table, unlogged);
            case JDBC_LOGGED, JDBC_UNLOGGED ->
                new JdbcOperations(
                        BenchDatabase.newPool(settings, id, BenchSettings.POOL_SIZE), BenchSettings.SCHEMA, table);
            case REDIS -> {
                if (!settings.hasRedis()) {
                    throw new IllegalStateException("redis benchmarks need KV_BENCH_REDIS_URL");
                }
                yield new RedisOperations(settings.redisUrl(), BenchSettings.POOL_SIZE);
            }
        };
    }

    /** kv on a pool of {@link BenchSettings#POOL_SIZE}, like every other implementation. */
    static KvStoreOperations openKv(BenchSettings settings, String table, boolean unlogged) {
        return openKv(settings, table, unlogged, BenchSettings.POOL_SIZE);
    }

    static KvStoreOperations openKv(BenchSettings settings, String table, boolean unlogged, int poolSize) {
        HikariDataSource pool = BenchDatabase.newPool(settings, "kv-" + table, poolSize);
        try {
            return new KvStoreOperations(JpaKvStores.open(pool, BenchTables.config(table, unlogged)), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}

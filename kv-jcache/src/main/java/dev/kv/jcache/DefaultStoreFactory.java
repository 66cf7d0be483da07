package dev.kv.jcache;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import dev.kv.memory.MemoryKvStores;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheException;

/** PostgreSQL when {@code kv.jcache.jdbc-url} is set (the table created if missing), else a memory store. */
final class DefaultStoreFactory implements KvStoreFactory {

    static final String DEFAULT_TABLE = "kv_jcache";

    @Override
    public KvStore open(URI uri, Properties properties) {
        String url = KvCachingProvider.setting(properties, KvCachingProvider.JDBC_URL);
        if (url == null) {
            return MemoryKvStores.open(
                    KvConfig.builder().format(ValueFormat.BYTEA).build());
        }
        String table = KvCachingProvider.setting(properties, KvCachingProvider.TABLE);
        KvConfig config = KvConfig.builder()
                .table(table == null ? DEFAULT_TABLE : table)
                .format(ValueFormat.BYTEA)
                .runMigrations(true)
                .build();
        String user = KvCachingProvider.setting(properties, KvCachingProvider.USER);
        String password = KvCachingProvider.setting(properties, KvCachingProvider.PASSWORD);
        try {
            return JpaKvStores.open(url, user, password == null ? "" : password, config);
        } catch (NoClassDefFoundError e) {
            throw new CacheException(
                    KvCachingProvider.JDBC_URL + " needs dev.kv:kv-repository (the PostgreSQL store) on the class path",
                    e);
        }
    }
}

package dev.kv.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.memory.MemoryKvStore;
import dev.kv.testing.TestPostgres;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/** The provider's own store settings: PostgreSQL from kv.jcache.jdbc-url, else memory; a bad factory is named. */
class ProviderSettingsTest {

    private final CachingProvider provider = Caching.getCachingProvider(KvCachingProvider.class.getName());

    @Test
    void aJdbcUrlPutsTheCachesInAPostgresTableItCreates() throws Exception {
        TestPostgres postgres = TestPostgres.get();
        Properties properties = ownStores();
        properties.setProperty(KvCachingProvider.JDBC_URL, postgres.jdbcUrl());
        properties.setProperty(KvCachingProvider.USER, postgres.user());
        properties.setProperty(KvCachingProvider.PASSWORD, postgres.password());
        properties.setProperty(KvCachingProvider.TABLE, "kv_jcache_settings_test");
        try (CacheManager manager = manager("kv:settings-postgres", properties)) {
            manager.destroyCache("greetings");
            Cache<String, String> cache = manager.createCache("greetings", new MutableConfiguration<>());
            cache.put("hello", "world");

            assertThat(cache.get("hello")).isEqualTo("world");
            assertThat(cache.unwrap(KvStore.class).keys(ScanOptions.all())).containsExactly("s:hello");
            assertThat(rowsOf("kv_jcache_settings_test", postgres)).isEqualTo(1);
        }
    }

    @Test
    void withoutAJdbcUrlEachManagerHasAMemoryStore() {
        try (CacheManager manager = manager("kv:settings-memory", ownStores())) {
            Cache<Long, String> cache = manager.createCache("numbers", new MutableConfiguration<>());
            cache.put(7L, "seven");

            assertThat(manager.unwrap(KvStore.class)).isInstanceOf(MemoryKvStore.class);
            assertThat(cache.get(7L)).isEqualTo("seven");
        }
    }

    @Test
    void aStoreFactoryThatIsNoKvStoreFactoryIsRefusedByName() {
        Properties properties = new Properties();
        properties.setProperty(KvCachingProvider.STORE_FACTORY, String.class.getName());

        assertThatThrownBy(() -> manager("kv:settings-bad-factory", properties))
                .isInstanceOf(CacheException.class)
                .hasMessage("kv.jcache.store-factory names no KvStoreFactory with a public no-argument constructor:"
                        + " java.lang.String");
    }

    /** The provider's built-in factory, not the test one ServiceLoader finds on this class path. */
    private static Properties ownStores() {
        Properties properties = new Properties();
        properties.setProperty(KvCachingProvider.STORE_FACTORY, DefaultStoreFactory.class.getName());
        return properties;
    }

    private CacheManager manager(String uri, Properties properties) {
        return provider.getCacheManager(URI.create(uri), ProviderSettingsTest.class.getClassLoader(), properties);
    }

    private static long rowsOf(String table, TestPostgres postgres) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

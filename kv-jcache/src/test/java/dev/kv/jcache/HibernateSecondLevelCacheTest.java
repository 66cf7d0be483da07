package dev.kv.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.testing.TestPostgres;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.hibernate.SessionFactory;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hibernate 7's second-level cache through hibernate-jcache with kv as the JCache provider, on PostgreSQL. Two
 * EntityManagerFactory instances stand for two application instances: each has its own CacheManager (its own
 * URI), both of the same kv namespace, so they share the cached entries in the database.
 */
class HibernateSecondLevelCacheTest {

    private static final String REGION = Book.class.getName();

    private CacheManager managerA;
    private CacheManager managerB;
    private EntityManagerFactory appA;
    private EntityManagerFactory appB;

    @BeforeEach
    void openTwoApplications() {
        sql("CREATE TABLE IF NOT EXISTS jcache_book (id BIGINT PRIMARY KEY, title VARCHAR(200))");
        sql("DELETE FROM jcache_book");
        managerA = cacheManager("kv:app-a");
        managerB = cacheManager("kv:app-b");
        appA = entityManagerFactory(managerA);
        appB = entityManagerFactory(managerB);
        appA.getCache().evictAll();
    }

    @AfterEach
    void close() {
        appA.close();
        appB.close();
        managerA.close();
        managerB.close();
    }

    private static CacheManager cacheManager(String uri) {
        Properties properties = new Properties();
        properties.setProperty(KvCachingProvider.NAMESPACE, "hibernate-l2-test");
        return Caching.getCachingProvider(KvCachingProvider.class.getName())
                .getCacheManager(URI.create(uri), HibernateSecondLevelCacheTest.class.getClassLoader(), properties);
    }

    private static EntityManagerFactory entityManagerFactory(CacheManager cacheManager) {
        TestPostgres postgres = TestPostgres.get();
        return new HibernatePersistenceConfiguration("books")
                .managedClasses(Book.class)
                .jdbcUrl(postgres.jdbcUrl())
                .jdbcCredentials(postgres.user(), postgres.password())
                .jdbcPoolSize(2)
                .collectStatistics(true)
                .property("hibernate.cache.region.factory_class", "jcache")
                .property("hibernate.javax.cache.cache_manager", cacheManager)
                .property("hibernate.cache.use_second_level_cache", "true")
                .createEntityManagerFactory();
    }

    @Test
    void aCachedEntityIsReadFromKvWithoutTheDatabaseRow() {
        inTransaction(appA, em -> em.persist(new Book(1L, "Dune")));
        statistics(appA).clear();

        String title = read(appA, em -> em.find(Book.class, 1L).title());

        assertThat(title).isEqualTo("Dune");
        assertThat(statistics(appA).getSecondLevelCacheHitCount()).isEqualTo(1);
        assertThat(statistics(appA).getEntityLoadCount()).isZero();
        KvStore region = managerA.getCache(REGION).unwrap(KvStore.class);
        assertThat(region.count(ScanOptions.all())).isEqualTo(1);
    }

    @Test
    void anotherInstanceReadsWhatOneCachedAndSeesItsUpdates() {
        inTransaction(appA, em -> em.persist(new Book(2L, "Emma")));
        statistics(appB).clear();

        assertThat(title(appB, 2L)).isEqualTo("Emma");
        assertThat(statistics(appB).getSecondLevelCacheHitCount()).isEqualTo(1);

        inTransaction(appA, em -> em.find(Book.class, 2L).title("Emma, revised"));

        assertThat(title(appB, 2L)).isEqualTo("Emma, revised");
        assertThat(statistics(appB).getEntityLoadCount()).isZero();
    }

    @Test
    void aWriteThatBypassesHibernateStaysUnseenUntilTheEntryIsEvicted() {
        inTransaction(appA, em -> em.persist(new Book(3L, "Ulysses")));
        sql("UPDATE jcache_book SET title = 'Changed in SQL' WHERE id = 3");

        assertThat(title(appB, 3L)).isEqualTo("Ulysses");

        appA.getCache().evict(Book.class, 3L);

        assertThat(title(appB, 3L)).isEqualTo("Changed in SQL");
    }

    private static String title(EntityManagerFactory factory, long id) {
        return read(factory, em -> em.find(Book.class, id).title());
    }

    private static Statistics statistics(EntityManagerFactory factory) {
        return factory.unwrap(SessionFactory.class).getStatistics();
    }

    private static void inTransaction(EntityManagerFactory factory, Consumer<EntityManager> work) {
        try (EntityManager em = factory.createEntityManager()) {
            em.getTransaction().begin();
            work.accept(em);
            em.getTransaction().commit();
        }
    }

    private static <T> T read(EntityManagerFactory factory, Function<EntityManager, T> work) {
        try (EntityManager em = factory.createEntityManager()) {
            return work.apply(em);
        }
    }

    private static void sql(String statement) {
        TestPostgres postgres = TestPostgres.get();
        try (Connection connection =
                        DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }
}

package dev.kv.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.cdi.KvChange.Operation;
import dev.kv.jpa.JpaKvStores;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import dev.kv.testing.CountingDataSource;
import dev.kv.testing.TestPostgres;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store kv-cdi produces ({@link KvStores}), on PostgreSQL through an application's EntityManager:
 * selections by glob, and bulk deletes in a constant number of statements, whether or not {@link
 * KvChange} is observed. Each call runs as {@link KvTransactions#required} does: in the caller's
 * transaction, or in one of its own, here the EntityManager's resource-local transaction.
 */
class TransactionalKvStoreTest {

    private static final String TABLE = "cdi_store";

    private static HikariDataSource pool;
    private static CountingDataSource counting;
    private static EntityManagerFactory application;
    private static KvConfig config;

    private EntityManager entityManager;
    private FiredEvents fired;
    private final List<String> reports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void createTable() {
        TestPostgres postgres = TestPostgres.get();
        HikariConfig settings = new HikariConfig();
        settings.setJdbcUrl(postgres.jdbcUrl());
        settings.setUsername(postgres.user());
        settings.setPassword(postgres.password());
        settings.setMaximumPoolSize(4);
        pool = new HikariDataSource(settings);
        config = KvConfig.builder().table(TABLE).build();
        KvTableDefinition table = KvTableDefinition.of(config);
        KvMigrations.rollback(pool, table);
        execute("DROP TABLE IF EXISTS public." + TABLE);
        KvMigrations.update(pool, table);
        counting = new CountingDataSource(pool);
        application = Persistence.createEntityManagerFactory(
                "application", Map.of("jakarta.persistence.nonJtaDataSource", counting));
    }

    @AfterAll
    static void close() {
        application.close();
        pool.close();
    }

    @BeforeEach
    void open() {
        execute("TRUNCATE public." + TABLE);
        entityManager = application.createEntityManager();
        fired = new FiredEvents();
    }

    @AfterEach
    void closeEntityManager() {
        if (entityManager.getTransaction().isActive()) {
            entityManager.getTransaction().rollback();
        }
        entityManager.close();
    }

    /** {@link KvTransactions#required} on the EntityManager's resource-local transaction. */
    private final class ResourceLocalTransactions extends KvTransactions {
        @Override
        public <T> T required(Supplier<T> work) {
            EntityTransaction transaction = entityManager.getTransaction();
            if (transaction.isActive()) {
                return work.get();
            }
            transaction.begin();
            try {
                T result = work.get();
                transaction.commit();
                return result;
            } catch (RuntimeException | Error e) {
                transaction.rollback();
                throw e;
            }
        }
    }

    private KvStore store(boolean observed) {
        return new TransactionalKvStore(
                "default",
                JpaKvStores.joining(() -> entityManager, config),
                new ResourceLocalTransactions(),
                new ChangeEvents(fired, observed),
                (store, operation, outcome, nanos) -> reports.add(operation + ":" + outcome));
    }

    private static void fill(KvStore store, List<String> keys) {
        keys.forEach(key -> store.set(key, json(key)));
    }

    private static final List<String> KEYS =
            List.of("a.tmp", "b.tmp", "keep.txt", "user:1:name", "user:1:tmp", "user:2:tmp", "users");

    @Test
    void deleteWithGlobDeletesOnlyMatchingKeys() {
        for (boolean observed : new boolean[] {false, true}) {
            KvStore store = store(observed);
            fill(store, KEYS);
            assertThat(store.delete(ScanOptions.glob("*.tmp"))).isEqualTo(2);
            assertThat(store.delete(ScanOptions.glob("user:*:tmp").limit(1))).isEqualTo(1);
            assertThat(store.keys(""))
                    .as("observed: " + observed)
                    .containsExactly("keep.txt", "user:1:name", "user:2:tmp", "users");
            store.clear();
        }
    }

    @Test
    void countAndKeysWithGlobSeeOnlyMatches() {
        KvStore store = store(false);
        fill(store, KEYS);
        assertThat(store.count(ScanOptions.glob("*.tmp"))).isEqualTo(2);
        assertThat(store.keys(ScanOptions.glob("user:*:tmp"))).containsExactly("user:1:tmp", "user:2:tmp");
    }

    @Test
    void unobservedBulkDeletesAreOneStatementWhateverTheNumberOfKeys() {
        assertThat(sameRoundTripsFor3And40Keys(store(false))).allSatisfy(roundTrips -> {
            assertThat(roundTrips).hasSize(2).last().isEqualTo("COMMIT");
            assertThat(roundTrips.get(0)).contains("DELETE FROM");
        });
    }

    @Test
    void observedBulkDeletesAreAConstantFewStatementsAndFireADeletePerLiveEntry() {
        KvStore store = store(true);
        // deleteMany locks and deletes its keys; the others first list the keys they select.
        assertThat(sameRoundTripsFor3And40Keys(store)).extracting(List::size).containsExactly(3, 4, 4, 4, 4);
        assertThat(fired.changes)
                .filteredOn(change -> change.operation() == Operation.DELETE)
                .hasSize(5 * 3 + 5 * 40);

        fill(store, List.of("x", "y"));
        fired.changes.clear();
        assertThat(store.deleteMany(List.of("x", "absent", "y", "x"))).isEqualTo(2);
        assertThat(fired.changes)
                .containsExactly(
                        new KvChange("default", "x", Operation.DELETE, 0),
                        new KvChange("default", "y", Operation.DELETE, 0));
    }

    @Test
    void aBatchFiresASetPerPutAndPatchAndADeletePerLiveEntryItRemoved() {
        for (boolean observed : new boolean[] {false, true}) {
            KvStore store = store(observed);
            fill(store, List.of("tmp:1", "tmp:2", "doc"));
            fired.changes.clear();
            assertThat(store.apply(List.of(
                            Mutation.put("tmp:3", json("3")),
                            Mutation.patch("doc", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8)),
                            Mutation.deletePrefix("tmp:"),
                            Mutation.delete("absent"),
                            Mutation.put("new", json("n")).ifVersion(KvStore.ABSENT))))
                    .as("observed: " + observed)
                    .containsExactly(1L, 1L, 3L, 0L, 1L);
            assertThat(store.keys("")).containsExactly("doc", "new");
            if (observed) {
                assertThat(fired.changes)
                        .extracting(KvChange::key, KvChange::operation)
                        .containsExactly(
                                tuple("tmp:3", Operation.SET),
                                tuple("doc", Operation.SET),
                                tuple("tmp:1", Operation.DELETE),
                                tuple("tmp:2", Operation.DELETE),
                                tuple("tmp:3", Operation.DELETE),
                                tuple("new", Operation.SET));
                assertThat(fired.changes)
                        .filteredOn(change -> change.key().equals("doc"))
                        .extracting(KvChange::version)
                        .containsExactly(2L);
            }
            store.clear();
        }
    }

    /** The round trips of each bulk delete, checked to be the same for 3 keys and for 40. */
    private List<List<String>> sameRoundTripsFor3And40Keys(KvStore store) {
        List<List<String>> few = roundTripsOfEachBulkDelete(store, 3);
        assertThat(roundTripsOfEachBulkDelete(store, 40)).isEqualTo(few);
        return few;
    }

    /**
     * The round trips of deleteMany, delete by glob, deletePrefix, deleteRange and clear, each of
     * {@code size} keys.
     */
    private List<List<String>> roundTripsOfEachBulkDelete(KvStore store, int size) {
        List<String> keys = IntStream.range(0, size).mapToObj(i -> "k" + i).toList();
        List<Function<KvStore, Long>> deletes = List.of(
                s -> s.deleteMany(keys),
                s -> s.delete(ScanOptions.glob("k*")),
                s -> s.deletePrefix("k"),
                s -> s.deleteRange("k", "l"),
                KvStore::clear);
        return deletes.stream()
                .map(delete -> {
                    fill(store, keys);
                    counting.reset();
                    assertThat(delete.apply(store)).isEqualTo(size);
                    List<String> roundTrips = counting.roundTrips();
                    assertThat(store.keys("")).isEmpty();
                    return roundTrips;
                })
                .toList();
    }

    @Test
    void aBulkDeleteInTheCallersTransactionRollsBackWithIt() {
        KvStore store = store(true);
        fill(store, KEYS);
        fired.changes.clear();
        entityManager.getTransaction().begin();
        assertThat(store.clear()).isEqualTo(KEYS.size());
        assertThat(store.count(ScanOptions.all())).isZero();
        entityManager.getTransaction().rollback();
        assertThat(store.keys("")).containsExactlyElementsOf(KEYS);
        assertThat(fired.changes).extracting(KvChange::key).containsExactlyElementsOf(KEYS);
    }

    @Test
    void eachCallIsReportedOnceUnderItsMethodsName() {
        KvStore store = store(false);
        store.set("a", json("a"));
        reports.clear();
        store.get("a");
        store.get("b");
        store.exists("a");
        store.compareAndSwap("a", json("a"), json("b"));
        store.deletePrefix("a");
        store.clear();
        assertThat(reports)
                .containsExactly(
                        "get:hit", "get:miss", "exists:hit", "compareAndSwap:ok", "deletePrefix:ok", "clear:ok");
    }

    private static byte[] json(String text) {
        return ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
    }

    private static void execute(String sql) {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}

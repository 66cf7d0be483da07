package dev.kv.tests;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.Change;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store that joins its caller's transaction ({@link JpaKvStores#joining}), here on a
 * resource-local EntityManager of an application persistence unit: kv writes commit and roll back
 * with the caller's work, and the row lock of {@code update} lasts until the caller's transaction ends.
 */
class PostgresJoinedTransactionTest {

    private static PostgresTables tables;
    private static EntityManagerFactory application;

    private EntityManager entityManager;
    private KvStore joined;
    private KvStore independent;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "joined",
                KvConfig.builder().format(ValueFormat.JSONB).changeStream(true).build());
        application = Persistence.createEntityManagerFactory(
                "application", Map.of("jakarta.persistence.nonJtaDataSource", tables.pool));
    }

    @AfterAll
    static void close() {
        application.close();
        tables.close();
    }

    @BeforeEach
    void open() {
        tables.deleteAllEntries();
        entityManager = application.createEntityManager();
        joined = JpaKvStores.joining(
                () -> entityManager,
                tables.apply(KvConfig.builder().changeStream(true)).build());
        independent = JpaKvStores.open(
                tables.pool, tables.apply(KvConfig.builder().changeStream(true)).build());
    }

    @AfterEach
    void closeStores() {
        if (entityManager.getTransaction().isActive()) {
            entityManager.getTransaction().rollback();
        }
        entityManager.close();
        independent.close();
    }

    @Test
    void writesRollBackWithTheCallersTransaction() {
        independent.set("kept", v("before"));
        entityManager.getTransaction().begin();
        joined.set("cart:1", v("book"));
        joined.delete("kept");
        joined.update("counter", current -> v("1"));
        assertThat(text(joined.get("cart:1"))).isEqualTo("book");
        entityManager.getTransaction().rollback();

        assertThat(independent.get("cart:1")).isEmpty();
        assertThat(independent.get("counter")).isEmpty();
        assertThat(text(independent.get("kept"))).isEqualTo("before");
    }

    @Test
    void writesCommitWithTheCallersTransaction() {
        entityManager.getTransaction().begin();
        joined.set("cart:1", v("book"));
        assertThat(independent.get("cart:1"))
                .as("not visible before the caller commits")
                .isEmpty();
        entityManager.getTransaction().commit();
        assertThat(text(independent.get("cart:1"))).isEqualTo("book");
    }

    @Test
    void changesEnterTheStreamWhenTheCallersTransactionCommits() {
        entityManager.getTransaction().begin();
        joined.set("cart:1", v("book"));
        joined.set("cart:2", v("pen"));
        assertThat(independent.changes().read(0, 10)).isEmpty();
        entityManager.getTransaction().commit();
        assertThat(independent.changes().read(0, 10)).extracting(Change::key).containsExactly("cart:1", "cart:2");
    }

    @Test
    void changesOfARolledBackCallersTransactionNeverEnterTheStream() {
        entityManager.getTransaction().begin();
        joined.set("cart:1", v("book"));
        entityManager.getTransaction().rollback();
        independent.set("cart:2", v("pen"));
        assertThat(independent.changes().read(0, 10)).extracting(Change::key).containsExactly("cart:2");
    }

    @Test
    void updateHoldsItsRowLockUntilTheCallersTransactionEnds() throws Exception {
        independent.set("counter", v("0"));
        entityManager.getTransaction().begin();
        joined.update("counter", current -> v("1"));

        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> text(independent
                .update("counter", current -> v(String.valueOf(Integer.parseInt(text(current)) + 10)))
                .orElseThrow()));
        awaitABlockedLockWait();
        assertThat(waiting).isNotDone();

        entityManager.getTransaction().commit();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo("11");
    }

    /** Polls pg_locks until some backend waits for a row lock: the other update is blocked, not slow. */
    private static void awaitABlockedLockWait() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<String> waiting =
                    PostgresQueries.column(tables.pool, "SELECT pid::text FROM pg_locks WHERE NOT granted");
            if (!waiting.isEmpty()) {
                return;
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("no backend ever waited for the row lock");
    }
}

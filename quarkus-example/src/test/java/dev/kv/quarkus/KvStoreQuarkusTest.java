package dev.kv.quarkus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kv.CleanupStrategy;
import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import dev.kv.KvStore;
import dev.kv.Ttl;
import dev.kv.ValueFormat;
import dev.kv.cdi.ExpiryCleaner;
import dev.kv.cdi.KvChange;
import dev.kv.cdi.KvSettings;
import dev.kv.cdi.KvStoreName;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.hibernate.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kv inside Quarkus, on its Hibernate ORM 7.2 and Narayana JTA: injection, configuration, joining
 * the caller's transaction, row locks, change events, the scheduled cleanup and the contract's core.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class KvStoreQuarkusTest {

    @Inject
    KvStore json;

    @Inject
    @KvStoreName("blobs")
    KvStore blobs;

    /** Not in kv.cleanup.stores: the scheduler leaves it alone, so the test counts every deletion. */
    @Inject
    @KvStoreName("cleanuprace")
    KvStore race;

    /** Encrypted by its properties (see application.properties); its table is created by the test. */
    @Inject
    @KvStoreName("secrets")
    KvStore secrets;

    @Inject
    KvSettings settings;

    @Inject
    ExpiryCleaner cleaner;

    @Inject
    TransactionalWork work;

    @Inject
    ChangeRecorder changes;

    @Inject
    UserTransaction transaction;

    @Inject
    DataSource dataSource;

    private ExecutorService executor;
    private String ns;

    @BeforeEach
    void setUp() {
        executor = Executors.newFixedThreadPool(4);
        ns = "q:" + UUID.randomUUID() + ":";
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    private static byte[] v(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static void awaitExpiry(Duration ttl) {
        Instant until = Instant.now().plus(ttl).plusMillis(2);
        while (Instant.now().isBefore(until)) {
            Thread.onSpinWait();
        }
    }

    @Test
    void runsOnQuarkussHibernate72() {
        assertTrue(Version.getVersionString().startsWith("7.2."), Version.getVersionString());
    }

    @Test
    void theDefaultAndANamedStoreAreInjectedWithTheirOwnConfiguration() {
        assertEquals("kv_entry", json.config().table());
        assertEquals(ValueFormat.JSONB, json.config().format());
        assertEquals("kv_blobs", blobs.config().table());
        assertEquals(ValueFormat.BYTEA, blobs.config().format());
    }

    @Test
    void aBusinessMethodThatWritesAndThrowsLeavesNoWrite() throws Exception {
        String key = ns + "k";
        assertThrows(IllegalStateException.class, () -> work.writeThenFail(json, key));
        assertFalse(json.exists(key));
        assertEquals(0, committedRows("kv_entry", key));
        assertEquals(List.of(), changes.changesOf(key));
    }

    @Test
    void writesJoinTheCallersTransactionAndRollBackWithIt() throws Exception {
        String key = ns + "k";
        transaction.begin();
        json.set(key, v("1"));
        blobs.set(key, new byte[] {0, 1});
        assertTrue(json.exists(key), "the transaction sees its own write");
        assertEquals(0, committedRows("kv_entry", key), "no one else sees it before commit");
        transaction.rollback();
        assertFalse(json.exists(key));
        assertFalse(blobs.exists(key));
        assertEquals(List.of(), changes.changesOf(key));
    }

    @Test
    void aChangeEventIsDeliveredAfterCommitWithTheNewVersion() throws Exception {
        String key = ns + "k";
        work.inTransaction(() -> {
            json.set(key, v("1"));
            json.set(key, v("2"));
            assertEquals(List.of(), changes.changesOf(key), "nothing is delivered before commit");
            return null;
        });
        json.update(key, value -> v("3"));
        json.delete(key);
        assertEquals(
                Set.of(
                        new KvChange("default", key, KvChange.Operation.SET, 1),
                        new KvChange("default", key, KvChange.Operation.SET, 2),
                        new KvChange("default", key, KvChange.Operation.UPDATE, 3),
                        new KvChange("default", key, KvChange.Operation.DELETE, 0)),
                Set.copyOf(changes.changesOf(key)));
        assertEquals(4, changes.changesOf(key).size());
    }

    @Test
    void updateHoldsItsRowLockUntilTheSurroundingTransactionEnds() throws Exception {
        String key = ns + "k";
        json.set(key, v("0"));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> first = executor.submit(() -> work.inTransaction(() -> {
            json.update(key, value -> v("1"));
            locked.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }));
        assertTrue(locked.await(30, TimeUnit.SECONDS));
        Future<byte[]> second = executor.submit(
                () -> json.update(key, value -> v(s(value) + "0")).orElseThrow());
        awaitBackendWaitingForALock();
        assertFalse(second.isDone(), "the second update waits while the first transaction is open");
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        assertEquals(
                "10", s(second.get(30, TimeUnit.SECONDS)), "the second update saw the first one's committed value");
    }

    @Test
    void theSchedulerDeletesExpiredEntries() throws Exception {
        String key = ns + "expiring";
        json.set(key, v("1"), Duration.ofMillis(1));
        json.set(ns + "live", v("1"), Duration.ofHours(1));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (committedRows("kv_entry", key) > 0) {
            assertTrue(Instant.now().isBefore(deadline), "the scheduler (every second) did not delete the expired row");
            Thread.onSpinWait();
        }
        assertTrue(json.exists(ns + "live"));
    }

    @Test
    void aSecondCleanerSkipsTheRowsTheFirstHoldsInsteadOfWaiting() throws Exception {
        KvMigrations.update(dataSource, KvTableDefinition.of(settings.store("cleanuprace")));
        execute("DELETE FROM kv_cleanuprace");
        writeExpired("first", 230);
        CountDownLatch cleaned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = executor.submit(() -> work.inTransaction(() -> {
            long deleted = race.cleanupExpired();
            cleaned.countDown();
            release.await(30, TimeUnit.SECONDS);
            return deleted;
        }));
        assertTrue(cleaned.await(30, TimeUnit.SECONDS));
        writeExpired("second", 120);
        long second = executor.submit(() -> cleaner.cleanup("cleanuprace")).get(30, TimeUnit.SECONDS);
        assertEquals(120, second, "the second cleaner deleted only the rows the first did not hold, without waiting");
        release.countDown();
        assertEquals(230L, first.get(30, TimeUnit.SECONDS));
        assertEquals(0, count("SELECT count(*) FROM kv_cleanuprace"));
    }

    @Test
    void aStoreGivenEncryptionKeysByPropertiesKeepsOnlyCiphertextInItsTable() throws Exception {
        KvMigrations.update(dataSource, KvTableDefinition.of(settings.store("secrets")));
        assertEquals(
                "test-2026", settings.store("secrets").encryptor().orElseThrow().currentKeyId());
        assertEquals(CleanupStrategy.ON_READ, settings.store("secrets").cleanupStrategy());
        String key = ns + "token";
        secrets.set(key, v("s3cret-value"));
        assertEquals("s3cret-value", s(secrets.get(key).orElseThrow()));
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT value FROM kv_secrets WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                byte[] stored = row.getBytes(1);
                assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("s3cret"));
                assertTrue(stored.length > "s3cret-value".length());
            }
        }
    }

    @Test
    void contractCoreGetSetVersionsAndBinaryValues() {
        json.set(ns + "k", v("{\"a\": 1}"));
        assertEquals(1, json.getEntry(ns + "k").orElseThrow().version());
        json.set(ns + "k", v("[1,2]"));
        assertEquals("[1, 2]", s(json.get(ns + "k").orElseThrow()));
        assertEquals(2, json.getEntry(ns + "k").orElseThrow().version());
        byte[] bytes = {0, (byte) 0xff, 10, 13, 0};
        blobs.set(ns + "b", bytes);
        assertArrayEquals(bytes, blobs.get(ns + "b").orElseThrow());
        assertEquals(Optional.empty(), json.get(ns + "absent"));
    }

    @Test
    void contractCoreExpiryAndTtl() {
        json.set(ns + "e", v("1"), Duration.ofMillis(5));
        awaitExpiry(Duration.ofMillis(5));
        assertFalse(json.exists(ns + "e"));
        assertEquals(Ttl.absent(), json.ttl(ns + "e"));
        assertTrue(json.setIfAbsent(ns + "e", v("2")));
        assertFalse(json.setIfAbsent(ns + "e", v("3")));
        assertTrue(json.expire(ns + "e", Duration.ofHours(1)));
        assertTrue(json.persist(ns + "e"));
        assertEquals(Ttl.persistent(), json.ttl(ns + "e"));
        assertTrue(json.delete(ns + "e"));
        assertFalse(json.delete(ns + "e"));
    }

    @Test
    void contractCoreUpdateAndKeys() throws Exception {
        assertEquals(
                Optional.of("1"),
                json.update(ns + "c", value -> v(value == null ? "1" : "x")).map(KvStoreQuarkusTest::s));
        assertEquals(Optional.empty(), json.update(ns + "c", value -> null));
        List<Future<?>> workers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            workers.add(executor.submit(() -> {
                start.await();
                for (int i = 0; i < 25; i++) {
                    json.update(ns + "counter", value -> v((value == null ? 0 : Integer.parseInt(s(value))) + 1 + ""));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        assertEquals("100", s(json.get(ns + "counter").orElseThrow()));
        json.set(ns + "a%", v("1"));
        json.set(ns + "a_", v("1"));
        assertEquals(List.of(ns + "a%", ns + "a_", ns + "counter"), json.keys(ns));
        assertEquals(List.of(ns + "a%"), json.keys(ns + "a%"));
    }

    @Test
    void contractCoreValidation() {
        assertEquals(
                "key must not be empty",
                assertThrows(InvalidKeyException.class, () -> json.set("", v("1")))
                        .getMessage());
        assertThrows(InvalidValueException.class, () -> json.set(ns + "k", v("{not json")));
        assertThrows(InvalidValueException.class, () -> json.set(ns + "k", new byte[65537]));
    }

    private void writeExpired(String prefix, int count) throws Exception {
        work.inTransaction(() -> {
            for (int i = 0; i < count; i++) {
                race.set(prefix + ":" + i, v("1"), Duration.ofMillis(1));
            }
            return null;
        });
        awaitExpiry(Duration.ofMillis(3));
    }

    private void awaitBackendWaitingForALock() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (count(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'")
                == 0) {
            assertTrue(Instant.now().isBefore(deadline), "no update waited for the row lock");
            Thread.onSpinWait();
        }
    }

    /** Counts committed rows, on a thread of its own: outside any transaction of the test. */
    private long committedRows(String table, String key) throws Exception {
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return count("SELECT count(*) FROM " + table + " WHERE key = '" + key.replace("'", "''")
                                        + "'");
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        executor)
                .get(30, TimeUnit.SECONDS);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql);
                ResultSet r = statement.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            statement.execute();
        }
    }
}

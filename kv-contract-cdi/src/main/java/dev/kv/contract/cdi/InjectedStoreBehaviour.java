package dev.kv.contract.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidKeyException;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.cdi.ExpiryCleaner;
import dev.kv.cdi.KvChange;
import dev.kv.cdi.KvSettings;
import dev.kv.cdi.KvStoreName;
import dev.kv.cdi.KvStores;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the stores a container injects do beyond the contract, the same in every container: stores
 * configured by name, joining the caller's transaction, change events after commit, row locks held
 * to the end of the transaction, and the scheduled cleanup (an EJB timer, the Quarkus scheduler)
 * every second. A container's test class runs these cases inside its container and supplies the
 * application's DataSource; the container fills the fields.
 *
 * <p>The application is configured for tests: a value limit of 64 KiB on {@code default} and {@code
 * blobs}, the cleanup of {@code default}, {@code blobs} and {@code ratelimits} every second, and a
 * store {@code cleanuprace} that no schedule cleans.
 */
public abstract class InjectedStoreBehaviour {

    @Inject
    protected KvStore json;

    @Inject
    @KvStoreName("blobs")
    protected KvStore blobs;

    /** Not in kv.cleanup.stores: the schedule leaves it alone, so a case counts every deletion. */
    @Inject
    @KvStoreName("cleanuprace")
    protected KvStore race;

    @Inject
    protected KvStores stores;

    @Inject
    protected KvSettings settings;

    @Inject
    protected ExpiryCleaner cleaner;

    @Inject
    protected TransactionalWork work;

    @Inject
    protected ChangeRecorder changes;

    @Inject
    protected UserTransaction transaction;

    protected DatabaseProbe database;
    protected ExecutorService executor;
    protected String key;

    /** The application's DataSource, the one its stores run on. */
    protected abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        database = new DatabaseProbe(dataSource());
        executor = Executors.newFixedThreadPool(2);
        key = "it:" + UUID.randomUUID();
    }

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
    }

    protected static byte[] v(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    protected static String s(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultAndANamedStoreAreInjectedWithTheirOwnConfiguration() {
        assertThat(json.config().table()).isEqualTo("kv_entry");
        assertThat(json.config().format()).isEqualTo(ValueFormat.JSONB);
        assertThat(blobs.config().table()).isEqualTo("kv_blobs");
        assertThat(blobs.config().format()).isEqualTo(ValueFormat.BYTEA);
        assertThat(blobs.config().limits().maxValueBytes()).isEqualTo(65536);
    }

    @Test
    void aSingleCallOutsideATransactionCommits() {
        json.set(key, v("{\"a\":1}"));
        assertThat(database.committedRows("kv_entry", key)).isEqualTo(1);
    }

    @Test
    void aBusinessMethodThatWritesAndThrowsLeavesNoWrite() {
        assertThatThrownBy(() -> work.writeThenFail(json, key)).isInstanceOf(IllegalStateException.class);
        assertThat(json.exists(key)).isFalse();
        assertThat(database.committedRows("kv_entry", key)).isZero();
        assertThat(changes.changesOf(key)).isEmpty();
    }

    @Test
    void writesJoinTheCallersTransactionAndRollBackWithIt() throws Exception {
        transaction.begin();
        json.set(key, v("1"));
        blobs.set(key, new byte[] {0, 1, 2});
        assertThat(json.exists(key)).as("the transaction sees its own write").isTrue();
        assertThat(database.committedRows("kv_entry", key))
                .as("no one else sees it before commit")
                .isZero();
        transaction.rollback();
        assertThat(json.exists(key)).isFalse();
        assertThat(blobs.exists(key)).isFalse();
        assertThat(changes.changesOf(key)).isEmpty();
    }

    @Test
    void aRefusedArgumentDoesNotDoomTheCallersTransaction() throws Exception {
        transaction.begin();
        json.set(key, v("1"));
        assertThatThrownBy(() -> json.get("")).isInstanceOf(InvalidKeyException.class);
        transaction.commit();
        assertThat(json.exists(key)).isTrue();
    }

    @Test
    void aChangeEventIsDeliveredAfterCommitWithTheNewVersion() throws Exception {
        work.inTransaction(() -> {
            json.set(key, v("1"));
            json.set(key, v("2"));
            assertThat(changes.changesOf(key))
                    .as("nothing is delivered before commit")
                    .isEmpty();
            return null;
        });
        json.update(key, value -> v("3"));
        json.delete(key);
        // Transactional observers of one transaction are not called in any defined order.
        assertThat(changes.changesOf(key))
                .containsExactlyInAnyOrder(
                        new KvChange("default", key, KvChange.Operation.SET, 1),
                        new KvChange("default", key, KvChange.Operation.SET, 2),
                        new KvChange("default", key, KvChange.Operation.UPDATE, 3),
                        new KvChange("default", key, KvChange.Operation.DELETE, 0));
    }

    @Test
    void updateHoldsItsRowLockUntilTheSurroundingTransactionEnds() throws Exception {
        json.set(key, v("0"));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> first = executor.submit(() -> work.inTransaction(() -> {
            json.update(key, value -> v("1"));
            locked.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
        Future<byte[]> second = executor.submit(
                () -> json.update(key, value -> v(s(value) + "0")).orElseThrow());
        database.awaitAnUpdateWaitingForARowLock();
        assertThat(second.isDone())
                .as("the second update waits while the first transaction is open")
                .isFalse();
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        assertThat(s(second.get(30, TimeUnit.SECONDS)))
                .as("the second update saw the first one's committed value")
                .isEqualTo("10");
    }

    @Test
    void theScheduledCleanupDeletesExpiredEntries() {
        // Live for two more seconds, so the schedule (every second) cannot take it before it is counted.
        LaggingStores.anHourBehind(stores, settings, "default").set(key, v("1"), LaggingStores.LAG.plusSeconds(2));
        json.set(key + ":live", v("1"), Duration.ofHours(1));
        assertThat(database.committedRows("kv_entry", key)).isEqualTo(1);
        database.awaitNoRow("kv_entry", key);
        assertThat(json.exists(key + ":live")).isTrue();
    }

    @Test
    void aSecondCleanerSkipsTheRowsTheFirstHoldsInsteadOfWaiting() throws Exception {
        KvMigrations.update(dataSource(), KvTableDefinition.of(settings.store("cleanuprace")));
        database.execute("DELETE FROM kv_cleanuprace");
        writeExpired("first", 230);

        CountDownLatch cleaned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = executor.submit(() -> work.inTransaction(() -> {
            long deleted = race.cleanupExpired();
            cleaned.countDown();
            release.await(30, TimeUnit.SECONDS);
            return deleted;
        }));
        assertThat(cleaned.await(30, TimeUnit.SECONDS)).isTrue();
        writeExpired("second", 120);

        long second = executor.submit(() -> cleaner.cleanup("cleanuprace")).get(30, TimeUnit.SECONDS);
        assertThat(second)
                .as("the second cleaner deleted only the rows the first did not hold, without waiting")
                .isEqualTo(120);
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(230);
        assertThat(database.committedRows("kv_cleanuprace")).isZero();
    }

    /** Entries of {@code cleanuprace} that expired an hour ago, written in one transaction. */
    private void writeExpired(String prefix, int count) throws Exception {
        KvStore lagging = LaggingStores.anHourBehind(stores, settings, "cleanuprace");
        work.inTransaction(() -> {
            for (int i = 0; i < count; i++) {
                lagging.set(prefix + ":" + i, v("1"), Duration.ofMinutes(1));
            }
            return null;
        });
    }
}

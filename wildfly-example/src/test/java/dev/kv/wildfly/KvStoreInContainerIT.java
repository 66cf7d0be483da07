package dev.kv.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.cdi.KvChange;
import dev.kv.cdi.KvStoreName;
import dev.kv.contract.cdi.ChangeRecorder;
import dev.kv.contract.cdi.DatabaseProbe;
import dev.kv.contract.cdi.TransactionalWork;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Inside WildFly: injection, configuration, JTA participation, row locks and change events. */
@ExtendWith(ArquillianExtension.class)
class KvStoreInContainerIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war(KvStoreInContainerIT.class);
    }

    @Inject
    KvStore json;

    @Inject
    @KvStoreName("blobs")
    KvStore blobs;

    @Inject
    TransactionalWork work;

    @Inject
    ChangeRecorder changes;

    @Inject
    UserTransaction transaction;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService executor;

    @Resource(lookup = "java:jboss/datasources/KvDS")
    DataSource dataSource;

    private static byte[] v(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String key() {
        return "it:" + UUID.randomUUID();
    }

    @Test
    void theDefaultAndANamedStoreAreInjectedWithTheirOwnConfiguration() {
        assertEquals("kv_entry", json.config().table());
        assertEquals(ValueFormat.JSONB, json.config().format());
        assertEquals("kv_blobs", blobs.config().table());
        assertEquals(ValueFormat.BYTEA, blobs.config().format());
        assertEquals(65536, blobs.config().limits().maxValueBytes());
    }

    @Test
    void aSingleCallOutsideATransactionCommits() throws Exception {
        String key = key();
        json.set(key, v("{\"a\":1}"));
        assertEquals(1, rowsWithKey("kv_entry", key));
    }

    @Test
    void aBusinessMethodThatWritesAndThrowsLeavesNoWrite() throws Exception {
        String key = key();
        assertThrows(IllegalStateException.class, () -> work.writeThenFail(json, key));
        assertFalse(json.exists(key));
        assertEquals(0, rowsWithKey("kv_entry", key));
        assertEquals(List.of(), changes.changesOf(key));
    }

    @Test
    void writesJoinTheCallersTransactionAndRollBackWithIt() throws Exception {
        String key = key();
        transaction.begin();
        json.set(key, v("1"));
        blobs.set(key, new byte[] {0, 1, 2});
        assertTrue(json.exists(key), "the transaction sees its own write");
        assertEquals(0, rowsWithKey("kv_entry", key), "no one else sees it before commit");
        transaction.rollback();
        assertFalse(json.exists(key));
        assertFalse(blobs.exists(key));
        assertEquals(List.of(), changes.changesOf(key));
    }

    @Test
    void aChangeEventIsDeliveredAfterCommitWithTheNewVersion() throws Exception {
        String key = key();
        work.inTransaction(() -> {
            json.set(key, v("1"));
            json.set(key, v("2"));
            assertEquals(List.of(), changes.changesOf(key), "nothing is delivered before commit");
            return null;
        });
        json.update(key, value -> v("3"));
        json.delete(key);
        // Transactional observers of one transaction are not called in any defined order.
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
        String key = key();
        json.set(key, v("0"));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> first = executor.submit(() -> work.inTransaction(() -> {
            json.update(key, value -> v("1"));
            locked.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }));
        assertTrue(locked.await(30, TimeUnit.SECONDS));
        Future<byte[]> second =
                executor.submit(() -> json.update(key, value -> v(new String(value, StandardCharsets.UTF_8) + "0"))
                        .orElseThrow());
        new DatabaseProbe(dataSource).awaitAnUpdateWaitingForARowLock();
        assertFalse(second.isDone(), "the second update waits while the first transaction is open");
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        assertEquals(
                "10",
                new String(second.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                "the second update saw the first one's committed value");
    }

    @Test
    void aRefusedArgumentDoesNotDoomTheCallersTransaction() throws Exception {
        String key = key();
        transaction.begin();
        json.set(key, v("1"));
        assertThrows(dev.kv.InvalidKeyException.class, () -> json.get(""));
        transaction.commit();
        assertTrue(json.exists(key));
    }

    /** Counts committed rows, outside any transaction of the test. */
    private long rowsWithKey(String table, String key) {
        return new DatabaseProbe(dataSource).committedRows(table, key);
    }
}

package dev.kv.wildfly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kv.Entry;
import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import dev.kv.KvStore;
import dev.kv.Ttl;
import dev.kv.cdi.KvStoreName;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hibernate.Version;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The core of the KvStore contract, run inside WildFly on its own Hibernate ORM 6.6 and JTA: the
 * same behaviour the tests module proves in Java SE on Hibernate 7.
 */
@ExtendWith(ArquillianExtension.class)
class KvStoreContractIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war(KvStoreContractIT.class);
    }

    @Inject
    KvStore store;

    @Inject
    @KvStoreName("blobs")
    KvStore blobs;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService executor;

    private String ns;

    @BeforeEach
    void namespace() {
        ns = "contract:" + UUID.randomUUID() + ":";
    }

    private static byte[] v(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
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
    void runsOnWildFlysHibernate66() {
        assertTrue(Version.getVersionString().startsWith("6.6."), Version.getVersionString());
    }

    @Test
    void getWhenAbsentThenEmpty() {
        assertEquals(Optional.empty(), store.get(ns + "absent"));
    }

    @Test
    void setThenGetReturnsTheValueAndEveryWriteIncrementsTheVersion() {
        store.set(ns + "k", v("{\"a\": 1}"));
        Entry first = store.getEntry(ns + "k").orElseThrow();
        assertEquals("{\"a\": 1}", s(first.value()));
        assertEquals(1, first.version());
        store.set(ns + "k", v("[1,2]"));
        Entry second = store.getEntry(ns + "k").orElseThrow();
        assertEquals("[1, 2]", s(second.value()));
        assertEquals(2, second.version());
        assertEquals(first.createdAt(), second.createdAt());
    }

    @Test
    void binaryValuesComeBackByteForByte() {
        byte[] value = {0, (byte) 0xff, 10, 13, 0};
        blobs.set(ns + "b", value);
        assertArrayEquals(value, blobs.get(ns + "b").orElseThrow());
    }

    @Test
    void anExpiredEntryIsAbsentToEveryRead() {
        store.set(ns + "k", v("1"), Duration.ofMillis(5));
        awaitExpiry(Duration.ofMillis(5));
        assertEquals(Optional.empty(), store.get(ns + "k"));
        assertFalse(store.exists(ns + "k"));
        assertEquals(Ttl.absent(), store.ttl(ns + "k"));
        assertEquals(List.of(), store.keys(ns));
    }

    @Test
    void expireAndPersistChangeTheTtl() {
        store.set(ns + "k", v("1"));
        assertEquals(Ttl.persistent(), store.ttl(ns + "k"));
        assertTrue(store.expire(ns + "k", Duration.ofHours(1)));
        Duration remaining = store.ttl(ns + "k").remaining().orElseThrow();
        assertTrue(remaining.compareTo(Duration.ofMinutes(59)) > 0, remaining::toString);
        assertTrue(store.persist(ns + "k"));
        assertEquals(Ttl.persistent(), store.ttl(ns + "k"));
        assertFalse(store.expire(ns + "absent", Duration.ofHours(1)));
    }

    @Test
    void setIfAbsentStoresOnlyWhenAbsentOrExpired() {
        assertTrue(store.setIfAbsent(ns + "k", v("1")));
        assertFalse(store.setIfAbsent(ns + "k", v("2")));
        assertEquals("1", s(store.get(ns + "k").orElseThrow()));
        store.set(ns + "e", v("1"), Duration.ofMillis(5));
        awaitExpiry(Duration.ofMillis(5));
        assertTrue(store.setIfAbsent(ns + "e", v("3")));
    }

    @Test
    void deleteRemovesALiveEntry() {
        store.set(ns + "k", v("1"));
        assertTrue(store.delete(ns + "k"));
        assertFalse(store.delete(ns + "k"));
        assertFalse(store.exists(ns + "k"));
    }

    @Test
    void updateReceivesNullWhenAbsentAndReturningNullDeletes() {
        List<String> seen = new ArrayList<>();
        store.update(ns + "k", value -> {
            seen.add(String.valueOf(value));
            return v("1");
        });
        assertEquals(
                Optional.of("2"),
                store.update(ns + "k", value -> v(Integer.parseInt(s(value)) + 1 + ""))
                        .map(KvStoreContractIT::s));
        assertEquals(List.of("null"), seen);
        assertEquals(Optional.empty(), store.update(ns + "k", value -> null));
        assertFalse(store.exists(ns + "k"));
    }

    @Test
    void anExceptionFromTheFunctionChangesNothingAndReachesTheCaller() {
        store.set(ns + "k", v("1"));
        IllegalStateException failure = new IllegalStateException("no");
        assertEquals(
                failure,
                assertThrows(
                        IllegalStateException.class,
                        () -> store.update(ns + "k", value -> {
                            throw failure;
                        })));
        assertEquals("1", s(store.get(ns + "k").orElseThrow()));
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        int threads = 4;
        int times = 25;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(executor.submit(() -> {
                start.await();
                for (int i = 0; i < times; i++) {
                    store.update(ns + "counter", value -> v((value == null ? 0 : Integer.parseInt(s(value))) + 1 + ""));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        assertEquals(
                String.valueOf(threads * times), s(store.get(ns + "counter").orElseThrow()));
    }

    @Test
    void keysListsLiveKeysWithThePrefixInOrderTakingWildcardsLiterally() {
        store.set(ns + "b", v("1"));
        store.set(ns + "a", v("1"));
        store.set(ns + "a%", v("1"));
        store.set(ns + "a_", v("1"));
        store.set(ns + "c", v("1"), Duration.ofMillis(5));
        awaitExpiry(Duration.ofMillis(5));
        assertEquals(List.of(ns + "a", ns + "a%", ns + "a_", ns + "b"), store.keys(ns));
        assertEquals(List.of(ns + "a%"), store.keys(ns + "a%"));
    }

    @Test
    void invalidArgumentsAreRefusedBeforeTheDatabase() {
        assertEquals(
                "key must not be empty",
                assertThrows(InvalidKeyException.class, () -> store.set("", v("1")))
                        .getMessage());
        assertThrows(InvalidKeyException.class, () -> store.get("a\u0000b"));
        assertThrows(InvalidValueException.class, () -> store.set(ns + "k", v("{not json")));
        assertThrows(InvalidValueException.class, () -> store.set(ns + "k", new byte[65537]));
    }
}

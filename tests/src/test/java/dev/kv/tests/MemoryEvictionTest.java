package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CapacityExceededException;
import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.contract.Concurrently;
import dev.kv.contract.MutableClock;
import dev.kv.memory.EvictionPolicy;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.RemovalCause;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bounds of the in-memory store and what each eviction policy removes. */
class MemoryEvictionTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> evicted = new CopyOnWriteArrayList<>();
    private final List<MemoryKvStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(MemoryKvStore::close);
    }

    private MemoryKvStore open(Consumer<MemoryOptions.Builder> settings) {
        MemoryOptions.Builder options = MemoryOptions.builder()
                .cleanupInterval(Duration.ZERO)
                .onEviction((key, value, cause) -> {
                    assertThat(cause).isEqualTo(RemovalCause.EVICTED);
                    evicted.add(key);
                });
        settings.accept(options);
        MemoryKvStore store = MemoryKvStores.open(
                KvConfig.builder().clock(clock).format(ValueFormat.BYTEA).build(), options.build());
        opened.add(store);
        return store;
    }

    private static byte[] bytes(int size) {
        return new byte[size];
    }

    private static byte[] v(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class WithoutEviction {

        @Test
        void aWriteOverMaxEntriesFailsWithATypedErrorAndChangesNothing() {
            MemoryKvStore store = open(o -> o.maxEntries(2).evictionPolicy(EvictionPolicy.NONE));
            store.set("a", v("1"));
            store.set("b", v("2"));
            assertThatThrownBy(() -> store.set("c", v("3")))
                    .isInstanceOf(CapacityExceededException.class)
                    .hasMessage("writing \"c\" would exceed maxEntries (2)")
                    .satisfies(e -> {
                        CapacityExceededException full = (CapacityExceededException) e;
                        assertThat(full.bound()).isEqualTo("maxEntries");
                        assertThat(full.limit()).isEqualTo(2);
                    });
            assertThat(store.keys("")).containsExactly("a", "b");
            assertThat(store.stats().entryCount()).isEqualTo(2);
        }

        @Test
        void overwritingAndDeletingStayWithinTheBound() {
            MemoryKvStore store = open(o -> o.maxEntries(2).evictionPolicy(EvictionPolicy.NONE));
            store.set("a", v("1"));
            store.set("b", v("2"));
            store.set("a", v("again"));
            assertThat(store.delete("b")).isTrue();
            store.set("c", v("3"));
            assertThat(store.keys("")).containsExactly("a", "c");
        }

        @Test
        void aWriteOverMaxBytesFails() {
            MemoryKvStore store = open(o -> o.maxBytes(10).evictionPolicy(EvictionPolicy.NONE));
            store.set("a", bytes(6));
            assertThatThrownBy(() -> store.set("b", bytes(5)))
                    .isInstanceOf(CapacityExceededException.class)
                    .hasMessage("writing \"b\" would exceed maxBytes (10)");
            store.set("a", bytes(10));
            assertThat(store.stats().totalValueBytes()).isEqualTo(10);
        }

        @Test
        void aBatchThatWouldExceedTheBoundWritesNothing() {
            MemoryKvStore store = open(o -> o.maxEntries(3).evictionPolicy(EvictionPolicy.NONE));
            store.set("a", v("old"));
            Map<String, byte[]> batch = new LinkedHashMap<>();
            for (String key : List.of("a", "b", "c", "d")) {
                batch.put(key, v("new"));
            }
            assertThatThrownBy(() -> store.setMany(batch))
                    .isInstanceOf(CapacityExceededException.class)
                    .hasMessage("writing \"d\" would exceed maxEntries (3)");
            assertThat(store.keys("")).containsExactly("a");
            assertThat(store.get("a")).hasValue(v("old"));
            assertThat(store.getEntry("a").orElseThrow().version()).isEqualTo(1);
            assertThat(store.stats().entryCount()).isEqualTo(1);
        }

        @Test
        void expiredEntriesNeverBlockAWrite() {
            MemoryKvStore store = open(o -> o.maxEntries(1).evictionPolicy(EvictionPolicy.NONE));
            store.set("old", v("1"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            store.set("new", v("2"));
            assertThat(store.keys("")).containsExactly("new");
            assertThat(evicted).isEmpty();
        }
    }

    @Nested
    class Policies {

        @Test
        void lruEvictsTheLeastRecentlyUsed() {
            MemoryKvStore store = open(o -> o.maxEntries(3).evictionPolicy(EvictionPolicy.LRU));
            store.set("a", v("1"));
            store.set("b", v("2"));
            store.set("c", v("3"));
            store.get("a");
            store.set("d", v("4"));
            assertThat(evicted).containsExactly("b");
            assertThat(store.keys("")).containsExactly("a", "c", "d");
        }

        @Test
        void lfuEvictsTheLeastFrequentlyUsed() {
            MemoryKvStore store = open(o -> o.maxEntries(3).evictionPolicy(EvictionPolicy.LFU));
            store.set("a", v("1"));
            store.set("b", v("2"));
            store.set("c", v("3"));
            for (int i = 0; i < 3; i++) {
                store.get("a");
                store.get("c");
            }
            store.get("b");
            store.set("d", v("4"));
            store.get("d");
            store.get("d");
            store.set("e", v("5"));
            assertThat(evicted).containsExactly("b", "d");
        }

        @Test
        void ttlEvictsTheEntryThatExpiresSoonest() {
            MemoryKvStore store = open(o -> o.maxEntries(3).evictionPolicy(EvictionPolicy.TTL));
            store.set("forever", v("1"));
            store.set("in-30s", v("2"), Duration.ofSeconds(30));
            store.set("in-10s", v("3"), Duration.ofSeconds(10));
            store.set("in-20s", v("4"), Duration.ofSeconds(20));
            assertThat(evicted).containsExactly("in-10s");
            store.persist("in-20s");
            store.set("another", v("5"));
            assertThat(evicted).containsExactly("in-10s", "in-30s");
        }

        @Test
        void randomKeepsTheBound() {
            MemoryKvStore store = open(o -> o.maxEntries(10).evictionPolicy(EvictionPolicy.RANDOM));
            for (int i = 0; i < 100; i++) {
                store.set("k" + i, v("x"));
            }
            assertThat(store.keys("")).hasSize(10);
            assertThat(evicted).hasSize(90).doesNotHaveDuplicates();
            assertThat(store.stats().evictions()).isEqualTo(90);
        }

        @ParameterizedTest
        @EnumSource(value = EvictionPolicy.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
        void everyPolicyKeepsBothBounds(EvictionPolicy policy) {
            MemoryKvStore store = open(o -> o.maxEntries(20).maxBytes(1_000).evictionPolicy(policy));
            for (int i = 0; i < 500; i++) {
                store.set("k" + i, bytes(i % 2 == 0 ? 1 : 200), Duration.ofHours(1 + i % 7));
                store.get("k" + (i / 2));
                assertThat(store.stats().entryCount()).isLessThanOrEqualTo(20);
                assertThat(store.stats().totalValueBytes()).isLessThanOrEqualTo(1_000);
            }
            assertThat(store.keys("")).hasSize((int) store.stats().entryCount());
            assertThat(evicted).hasSize((int) store.stats().evictions());
            assertThat(store.stats().evictions()).isEqualTo(500 - store.stats().entryCount());
        }

        @Test
        void theDefaultPolicyIsWindowTinyLfu() {
            assertThat(MemoryOptions.defaults().evictionPolicy()).isEqualTo(EvictionPolicy.WINDOW_TINY_LFU);
        }
    }

    @Test
    void anOverwriteThatGrowsAValuePastMaxBytesEvictsBeforeItReturns() {
        MemoryKvStore store = open(o -> o.maxBytes(100).evictionPolicy(EvictionPolicy.WINDOW_TINY_LFU));
        store.set("a", bytes(10));
        store.set("b", bytes(10));

        store.set("a", bytes(95));

        assertThat(store.stats().totalValueBytes()).isLessThanOrEqualTo(100);
        assertThat(evicted).isNotEmpty();
    }

    @Test
    void concurrentOverwritesOfOneKeyUnderWindowTinyLfuEachWriteAVersion() throws Exception {
        MemoryKvStore store = open(o -> o.maxEntries(100).evictionPolicy(EvictionPolicy.WINDOW_TINY_LFU));
        store.set("hot", bytes(1));
        int threads = 4;
        int writes = 2_000;
        Concurrently.run(threads, thread -> {
            for (int i = 0; i < writes; i++) {
                store.set("hot", bytes(1 + thread));
            }
        });
        assertThat(store.getEntry("hot").orElseThrow().version()).isEqualTo(1L + threads * writes);
        assertThat(store.stats().totalValueBytes()).isEqualTo(store.get("hot").orElseThrow().length);
    }

    @ParameterizedTest
    @EnumSource(value = EvictionPolicy.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void concurrentWritersKeepCountersAndIndexInStep(EvictionPolicy policy) throws Exception {
        MemoryKvStore store = open(o -> o.maxEntries(100).evictionPolicy(policy));
        int threads = 4;
        Concurrently.run(threads, thread -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 5_000; i++) {
                String key = "k" + random.nextInt(400);
                switch (random.nextInt(4)) {
                    case 0 -> store.delete(key);
                    case 1 -> store.get(key);
                    default -> store.set(key, bytes(random.nextInt(8)));
                }
            }
        });
        store.set("last", bytes(1));
        List<String> keys = store.keys("");
        assertThat(store.stats().entryCount()).isEqualTo(keys.size()).isLessThanOrEqualTo(100);
        long valueBytes = keys.stream()
                .mapToLong(key -> store.get(key).orElseThrow().length)
                .sum();
        assertThat(store.stats().totalValueBytes()).isEqualTo(valueBytes);
    }
}

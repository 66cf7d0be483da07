package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kv.CleanupStrategy;
import dev.kv.KvConfig;
import dev.kv.KvStats;
import dev.kv.ValueFormat;
import dev.kv.contract.MutableClock;
import dev.kv.memory.EvictionPolicy;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.RemovalCause;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The removal listeners, the background cleaner, the counters and the checks of the options. */
class MemoryListenerAndStatsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** A removal as a listener saw it. */
    private record Removal(String key, String value, RemovalCause cause) {}

    private final List<Removal> expired = new CopyOnWriteArrayList<>();
    private final List<Removal> evicted = new CopyOnWriteArrayList<>();

    private MemoryOptions.Builder listening() {
        return MemoryOptions.builder()
                .onExpiry((key, value, cause) ->
                        expired.add(new Removal(key, new String(value, StandardCharsets.UTF_8), cause)))
                .onEviction((key, value, cause) ->
                        evicted.add(new Removal(key, new String(value, StandardCharsets.UTF_8), cause)));
    }

    private MemoryKvStore open(MemoryOptions.Builder options) {
        return MemoryKvStores.open(
                KvConfig.builder().clock(clock).format(ValueFormat.BYTEA).build(), options.build());
    }

    private static byte[] v(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theBackgroundCleanerRemovesExpiredEntriesAndTellsTheExpiryListener() {
        try (MemoryKvStore store = open(listening().cleanupInterval(Duration.ofMillis(20)))) {
            store.set("session:1", v("s1"), Duration.ofSeconds(30));
            store.set("session:2", v("s2"), Duration.ofMinutes(5));
            store.set("user:1", v("u1"));
            clock.advance(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().expirations() == 1);
            assertThat(expired).containsExactly(new Removal("session:1", "s1", RemovalCause.EXPIRED));
            assertThat(store.stats().expirations()).isEqualTo(1);
            assertThat(evicted).isEmpty();
        }
    }

    @Test
    void theCleanupIntervalOfTheKvConfigTakesPrecedence() {
        KvConfig config = KvConfig.builder()
                .clock(clock)
                .format(ValueFormat.BYTEA)
                .cleanupInterval(Duration.ofMillis(20))
                .build();
        try (MemoryKvStore store = MemoryKvStores.open(
                config, listening().cleanupInterval(Duration.ZERO).build())) {
            store.set("session:1", v("s1"), Duration.ofSeconds(30));
            clock.advance(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().expirations() == 1);
            assertThat(expired).containsExactly(new Removal("session:1", "s1", RemovalCause.EXPIRED));
        }
    }

    @Test
    void anExpiredEntryReplacedByAWriteIsReportedAsExpiredOnce() {
        try (MemoryKvStore store = open(listening().cleanupInterval(Duration.ZERO))) {
            store.set("k", v("old"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            store.set("k", v("new"));
            assertThat(store.cleanupExpired()).isZero();
            assertThat(expired).containsExactly(new Removal("k", "old", RemovalCause.EXPIRED));
        }
    }

    private MemoryKvStore openWithoutCleaner(CleanupStrategy strategy) {
        return MemoryKvStores.open(
                KvConfig.builder()
                        .clock(clock)
                        .format(ValueFormat.BYTEA)
                        .cleanupStrategy(strategy)
                        .build(),
                listening().cleanupInterval(Duration.ZERO).build());
    }

    @Test
    void onReadAReadThatMeetsAnExpiredEntryTellsTheExpiryListenerOnce() {
        try (MemoryKvStore store = openWithoutCleaner(CleanupStrategy.ON_READ)) {
            store.set("k", v("old"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.get("k")).isEmpty();
            assertThat(store.get("k")).isEmpty();
            assertThat(store.cleanupExpired()).isZero();
            assertThat(expired).containsExactly(new Removal("k", "old", RemovalCause.EXPIRED));
            assertThat(store.stats().expirations()).isEqualTo(1);
        }
    }

    @Test
    void disabledTheCleanerRemovesNothingAndTellsNoOne() {
        try (MemoryKvStore store = openWithoutCleaner(CleanupStrategy.DISABLED)) {
            store.set("k", v("old"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            store.set("k", v("new"));
            assertThat(store.cleanupExpired()).isZero();
            assertThat(expired).isEmpty();
            assertThat(store.getEntry("k").orElseThrow().version()).isEqualTo(2);
        }
    }

    @Test
    void theEvictionListenerHearsOfEveryEvictedEntryWithItsValue() {
        try (MemoryKvStore store = open(
                listening().maxEntries(2).evictionPolicy(EvictionPolicy.LRU).cleanupInterval(Duration.ZERO))) {
            store.set("a", v("1"));
            store.set("b", v("2"));
            store.set("c", v("3"));
            assertThat(evicted).containsExactly(new Removal("a", "1", RemovalCause.EVICTED));
            assertThat(expired).isEmpty();
        }
    }

    @Test
    void theDefaultPolicyTellsTheEvictionListenerToo() {
        try (MemoryKvStore store = open(listening().maxEntries(10).cleanupInterval(Duration.ZERO))) {
            for (int i = 0; i < 50; i++) {
                store.set("k" + i, v("v" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> evicted.size() == 40);
            assertThat(evicted).allSatisfy(removal -> {
                assertThat(removal.cause()).isEqualTo(RemovalCause.EVICTED);
                assertThat(removal.value()).isEqualTo("v" + removal.key().substring(1));
            });
            assertThat(store.stats().evictions()).isEqualTo(40);
            assertThat(store.keys("")).hasSize(10);
        }
    }

    @Test
    void aFailingListenerDoesNotFailTheWrite() {
        MemoryOptions.Builder options = MemoryOptions.builder()
                .maxEntries(1)
                .evictionPolicy(EvictionPolicy.LRU)
                .onEviction((key, value, cause) -> {
                    throw new IllegalStateException("listener bug");
                });
        try (MemoryKvStore store = open(options)) {
            store.set("a", v("1"));
            store.set("b", v("2"));
            assertThat(store.keys("")).containsExactly("b");
        }
    }

    @Test
    void statsCountEveryKindOfOperation() {
        try (MemoryKvStore store = open(listening().cleanupInterval(Duration.ZERO))) {
            assertThat(store.stats().hitRate()).isZero();
            store.set("a", v("12345"));
            store.set("b", v("123"), Duration.ofSeconds(1));
            store.setIfAbsent("a", v("ignored"));
            store.update("c", current -> v("1"));
            store.get("a");
            store.get("a");
            store.getEntry("c");
            store.get("missing");
            store.delete("c");
            store.delete("missing");
            clock.advance(Duration.ofSeconds(1));
            store.cleanupExpired();

            KvStats stats = store.stats();
            assertThat(stats.gets()).isEqualTo(4);
            assertThat(stats.hits()).isEqualTo(3);
            assertThat(stats.misses()).isEqualTo(1);
            assertThat(stats.hitRate()).isEqualTo(0.75);
            assertThat(stats.sets()).isEqualTo(3);
            assertThat(stats.deletes()).isEqualTo(1);
            assertThat(stats.expirations()).isEqualTo(1);
            assertThat(stats.evictions()).isZero();
            assertThat(stats.entryCount()).isEqualTo(1);
            assertThat(stats.totalValueBytes()).isEqualTo(5);
        }
    }

    @Test
    void optionsAreCheckedWhenSetWithMessagesNamingTheSetting() {
        MemoryOptions.Builder builder = MemoryOptions.builder();
        assertThatThrownBy(() -> builder.maxEntries(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEntries must be positive, but was 0");
        assertThatThrownBy(() -> builder.maxBytes(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytes must be positive, but was -1");
        assertThatThrownBy(() -> builder.cleanupInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cleanupInterval must not be negative, but was PT-1S");
        assertThatThrownBy(() -> builder.syncInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncInterval must be positive, but was PT0S");
        assertThatThrownBy(() -> builder.persistence(dev.kv.memory.Persistence.WAL, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("persistence WAL needs a directory");
        assertThat(MemoryOptions.builder().maxEntries(5).build().toString())
                .isEqualTo(
                        "MemoryOptions[maxEntries=5, maxBytes=unbounded, evictionPolicy=WINDOW_TINY_LFU, cleanupInterval=PT1M, persistence=NONE]");
    }

    @Test
    void jsonbStoresRefuseValuesThatAreNotJsonLikePostgres() {
        try (MemoryKvStore store =
                MemoryKvStores.open(KvConfig.builder().clock(clock).build())) {
            assertThatThrownBy(() -> store.set("k", v("not json")))
                    .isInstanceOf(dev.kv.InvalidValueException.class)
                    .hasMessageStartingWith("value is not JSON");
            store.set("k", v("{\"b\": 1,  \"a\": 2}"));
            assertThat(new String(store.get("k").orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"b\": 1,  \"a\": 2}");
        }
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CleanupStrategy;
import dev.kv.Entry;
import dev.kv.KeyNotFoundException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's cases for cleanup strategies. */
public abstract class CleanupStrategiesContract extends ContractCase {

    protected CleanupStrategiesContract(KvStoreContract fixture) {
        super(fixture);
    }

    private KvStore storeWith(CleanupStrategy strategy) {
        return openTracked(KvConfig.builder().clock(clock).cleanupStrategy(strategy));
    }

    private void expireAfterOneSecond(KvStore target, String... keys) {
        for (String key : keys) {
            target.set(key, v(key), Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void manualIsTheDefault() {
        assertThat(store.config().cleanupStrategy()).isEqualTo(CleanupStrategy.MANUAL);
    }

    @Test
    void manualLeavesRowsUntilCleanup() {
        expireAfterOneSecond(store, "k");
        assertThat(store.get("k")).isEmpty();
        assertThat(store.getMany(List.of("k"))).isEmpty();
        assertThat(store.stats().expirations()).isZero();
        assertThat(store.cleanupExpired()).isEqualTo(1);
        assertThat(store.stats().expirations()).isEqualTo(1);
    }

    @Test
    void onReadGetOfExpiredEntryDeletesTheRow() {
        KvStore onRead = storeWith(CleanupStrategy.ON_READ);
        expireAfterOneSecond(onRead, "k");
        assertThat(onRead.get("k")).isEmpty();
        assertThat(onRead.stats().expirations()).isEqualTo(1);
        assertThat(onRead.cleanupExpired()).isZero();
    }

    @Test
    void onReadEveryPointReadDeletesTheExpiredEntryItMeets() {
        KvStore onRead = storeWith(CleanupStrategy.ON_READ);
        expireAfterOneSecond(onRead, "entry", "exists", "ttl", "orThrow");
        assertThat(onRead.getEntry("entry")).isEmpty();
        assertThat(onRead.exists("exists")).isFalse();
        assertThat(onRead.ttl("ttl")).isEqualTo(Ttl.absent());
        assertThatThrownBy(() -> onRead.getOrThrow("orThrow")).isInstanceOf(KeyNotFoundException.class);
        assertThat(onRead.stats().expirations()).isEqualTo(4);
        assertThat(onRead.cleanupExpired()).isZero();
    }

    @Test
    void onReadGetManyDeletesEveryExpiredEntryItMeetsAndNoOther() {
        KvStore onRead = storeWith(CleanupStrategy.ON_READ);
        onRead.set("live", v("live"));
        expireAfterOneSecond(onRead, "a", "b", "unread");
        assertThat(onRead.getMany(List.of("a", "live", "b", "missing"))).containsOnlyKeys("live");
        assertThat(onRead.stats().expirations()).isEqualTo(2);
        assertThat(onRead.cleanupExpired()).isEqualTo(1);
        assertThat(text(onRead.get("live"))).isEqualTo("live");
    }

    @Test
    void onReadLeavesLiveEntriesAndScansDeleteNothing() {
        KvStore onRead = storeWith(CleanupStrategy.ON_READ);
        onRead.set("later", v("later"), Duration.ofMinutes(1));
        expireAfterOneSecond(onRead, "gone");
        assertThat(text(onRead.get("later"))).isEqualTo("later");
        assertThat(onRead.keys("")).containsExactly("later");
        assertThat(onRead.count(ScanOptions.all())).isEqualTo(1);
        assertThat(onRead.stats().expirations()).isZero();
        assertThat(onRead.cleanupExpired()).isEqualTo(1);
    }

    @Test
    void onReadAnEntryWrittenAgainAfterExpiryIsLive() {
        KvStore onRead = storeWith(CleanupStrategy.ON_READ);
        expireAfterOneSecond(onRead, "k");
        onRead.set("k", v("again"));
        assertThat(text(onRead.get("k"))).isEqualTo("again");
        assertThat(onRead.getEntry("k").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void disabledReturnsExpiredEntries() {
        KvStore disabled = storeWith(CleanupStrategy.DISABLED);
        disabled.set("k", v("a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(text(disabled.get("k"))).isEqualTo("a");
        assertThat(disabled.getEntry("k").orElseThrow().expiresAt()).contains(START.plusSeconds(1));
        assertThat(disabled.exists("k")).isTrue();
        assertThat(disabled.getMany(List.of("k"))).containsOnlyKeys("k");
        assertThat(disabled.keys("")).containsExactly("k");
        assertThat(disabled.scan(ScanOptions.all())).extracting(Entry::key).containsExactly("k");
        assertThat(disabled.count(ScanOptions.all())).isEqualTo(1);
        assertThat(disabled.stats().entryCount()).isEqualTo(1);
    }

    @Test
    void disabledTtlReportsTheStoredExpiryAndZeroOnceItPassed() {
        KvStore disabled = storeWith(CleanupStrategy.DISABLED);
        disabled.set("k", v("a"), Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(10));
        assertThat(disabled.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ofSeconds(20)));
        clock.advance(Duration.ofMinutes(1));
        assertThat(disabled.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ZERO));
    }

    @Test
    void disabledSetIfAbsentRefusesAnExpiredKey() {
        KvStore disabled = storeWith(CleanupStrategy.DISABLED);
        expireAfterOneSecond(disabled, "k");
        assertThat(disabled.setIfAbsent("k", v("other"))).isFalse();
        assertThat(text(disabled.get("k"))).isEqualTo("k");
    }

    @Test
    void disabledWritesContinueAnExpiredEntry() {
        KvStore disabled = storeWith(CleanupStrategy.DISABLED);
        disabled.set("n", "5".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1));
        expireAfterOneSecond(disabled, "k");
        assertThat(disabled.increment("n", 1)).isEqualTo(6);
        disabled.set("k", v("b"));
        Entry entry = disabled.getEntry("k").orElseThrow();
        assertThat(entry.version()).isEqualTo(2);
        assertThat(entry.createdAt()).isEqualTo(START);
        assertThat(disabled.setIfVersion("k", v("c"), 2)).isEqualTo(3);
        assertThat(disabled.compareAndSwap("k", v("c"), v("d")).isSwapped()).isTrue();
        assertThat(disabled.delete("k")).isTrue();
    }

    @Test
    void disabledExpireAndPersistWorkOnAnExpiredEntry() {
        KvStore disabled = storeWith(CleanupStrategy.DISABLED);
        expireAfterOneSecond(disabled, "a", "b");
        assertThat(disabled.expire("a", Duration.ofMinutes(1))).isTrue();
        assertThat(disabled.ttl("a")).isEqualTo(Ttl.expiresIn(Duration.ofMinutes(1)));
        assertThat(disabled.persist("b")).isTrue();
        assertThat(disabled.ttl("b")).isEqualTo(Ttl.persistent());
    }

    @Test
    void disabledBatchesTreatExpiredEntriesAsLive() {
        KvStore disabled = storeWith(CleanupStrategy.DISABLED);
        expireAfterOneSecond(disabled, "a", "b", "c");
        disabled.setMany(Map.of("a", v("a2")));
        assertThat(disabled.getEntry("a").orElseThrow().version()).isEqualTo(2);
        assertThat(disabled.apply(List.of(Mutation.delete("b")))).containsExactly(1L);
        assertThat(disabled.deleteMany(List.of("c", "missing"))).isEqualTo(1);
    }

    @Test
    void disabledCleanupDeletesNothing() {
        KvStore disabled = storeWith(CleanupStrategy.DISABLED);
        expireAfterOneSecond(disabled, "k");
        assertThat(disabled.cleanupExpired()).isZero();
        assertThat(disabled.stats().expirations()).isZero();
        assertThat(disabled.exists("k")).isTrue();
    }
}

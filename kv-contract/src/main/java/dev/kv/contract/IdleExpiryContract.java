package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static dev.kv.contract.ContractValues.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.ChangeStream;
import dev.kv.Entry;
import dev.kv.Expiry;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases for the store's default expiry and for idle (access) expiry: an idle entry's expiry
 * moves on when a read finds less than half its idle period left, and only then.
 */
public abstract class IdleExpiryContract extends ContractCase {

    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

    protected IdleExpiryContract(KvStoreContract fixture) {
        super(fixture);
    }

    private KvStore storeWithDefault(Expiry defaultExpiry) {
        return openTracked(KvConfig.builder().clock(clock).defaultExpiry(defaultExpiry));
    }

    private Instant expiresAt(KvStore target, String key) {
        return target.scan(ScanOptions.prefix(key).limit(1)).get(0).expiresAt().orElseThrow();
    }

    // The default expiry.

    @Test
    void defaultTtlAppliesToEveryWriteGivenNoExpiry() {
        KvStore defaulted = storeWithDefault(Expiry.after(DEFAULT_TTL));
        defaulted.set("set", v("1"));
        defaulted.setIfAbsent("setIfAbsent", v("1"));
        defaulted.setMany(values("many", "1"));
        defaulted.apply(List.of(Mutation.put("applied", v("1"))));
        defaulted.increment("counter");
        defaulted.update("updated", current -> v("1"));
        defaulted.setIfVersion("versioned", v("1"), KvStore.ABSENT);
        for (String key : List.of("set", "setIfAbsent", "many", "applied", "counter", "updated", "versioned")) {
            assertThat(defaulted.ttl(key)).as(key).isEqualTo(Ttl.expiresIn(DEFAULT_TTL));
        }
        clock.advance(DEFAULT_TTL);
        assertThat(defaulted.keys("")).isEmpty();
    }

    @Test
    void aTtlOrExpiryGivenOverridesTheDefault() {
        KvStore defaulted = storeWithDefault(Expiry.after(DEFAULT_TTL));
        defaulted.set("ttl", v("1"), Duration.ofHours(1));
        defaulted.set("never", v("1"), Expiry.never());
        defaulted.setIfAbsent("idle", v("1"), Expiry.idle(IDLE));
        clock.advance(DEFAULT_TTL);
        assertThat(defaulted.ttl("ttl")).isEqualTo(Ttl.expiresIn(Duration.ofMinutes(59)));
        assertThat(defaulted.ttl("never")).isEqualTo(Ttl.persistent());
        assertThat(defaulted.ttl("idle")).isEqualTo(Ttl.expiresIn(IDLE.minus(DEFAULT_TTL)));
    }

    @Test
    void writesThatKeepTheExpiryKeepItOnALiveEntry() {
        KvStore defaulted = storeWithDefault(Expiry.after(DEFAULT_TTL));
        defaulted.set("k", v("1"), Duration.ofHours(1));
        defaulted.update("k", current -> v("2"));
        defaulted.setIfVersion("k", v("3"), 2);
        assertThat(defaulted.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ofHours(1)));
    }

    @Test
    void withoutADefaultWritesGivenNoExpiryNeverExpire() {
        assertThat(store.config().defaultExpiry()).isEqualTo(Expiry.never());
        store.set("k", v("1"));
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
    }

    @Test
    void aDefaultIdleExpiryMakesPlainWritesIdle() {
        KvStore defaulted = storeWithDefault(Expiry.idle(IDLE));
        defaulted.set("session", v("1"));
        clock.advance(Duration.ofMinutes(8));
        assertThat(defaulted.get("session")).isPresent();
        clock.advance(Duration.ofMinutes(8));
        assertThat(defaulted.get("session")).as("refreshed 8 minutes ago").isPresent();
        clock.advance(IDLE);
        assertThat(defaulted.get("session")).isEmpty();
    }

    // Idle expiry.

    @Test
    void anIdleEntryExpiresAfterItsIdlePeriodWithoutReads() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        assertThat(store.ttl("k")).isEqualTo(Ttl.expiresIn(IDLE));
        clock.advance(IDLE.minusSeconds(1));
        assertThat(store.exists("k")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.get("k")).isEmpty();
        assertThat(store.getEntry("k")).isEmpty();
        assertThat(store.keys("")).isEmpty();
        assertThat(store.cleanupExpired()).isEqualTo(1);
    }

    @Test
    void anIdleEntryReadOftenEnoughNeverExpires() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofMinutes(6));
            assertThat(text(store.get("k"))).as("read %d", i).isEqualTo("1");
        }
        assertThat(store.cleanupExpired()).isZero();
        clock.advance(IDLE);
        assertThat(store.get("k")).isEmpty();
        assertThat(store.cleanupExpired()).isEqualTo(1);
    }

    @Test
    void aReadWithAtLeastHalfTheIdlePeriodLeftWritesNothing() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        Entry written = store.getEntry("k").orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        assertThat(store.get("k")).isPresent();
        assertThat(store.getEntry("k")).contains(written);
        assertThat(written.expiresAt()).contains(START.plus(IDLE));
    }

    @Test
    void aReadWithLessThanHalfLeftRefreshesTheExpiryButIsNoWrite() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        Entry written = store.getEntry("k").orElseThrow();
        clock.advance(Duration.ofMinutes(6));
        Entry read = store.getEntry("k").orElseThrow();
        Instant refreshed = START.plus(Duration.ofMinutes(6)).plus(IDLE);
        assertThat(read.expiresAt()).contains(refreshed);
        assertThat(expiresAt(store, "k")).isEqualTo(refreshed);
        assertThat(read.version()).isEqualTo(written.version());
        assertThat(read.updatedAt()).isEqualTo(written.updatedAt());
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.get("k")).isPresent();
        assertThat(expiresAt(store, "k")).as("not refreshed again so soon").isEqualTo(refreshed);
    }

    @Test
    void getRefreshesAsGetEntryDoes() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        clock.advance(Duration.ofMinutes(6));
        assertThat(store.get("k")).isPresent();
        assertThat(expiresAt(store, "k")).isEqualTo(START.plus(Duration.ofMinutes(16)));
    }

    @Test
    void scansAndExistenceChecksAreNoReadsThatRefresh() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        clock.advance(Duration.ofMinutes(6));
        store.exists("k");
        store.ttl("k");
        store.keys("");
        store.getMany(List.of("k"));
        assertThat(expiresAt(store, "k")).isEqualTo(START.plus(IDLE));
    }

    @Test
    void aWriteWithoutExpiryEndsIdleExpiry() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        store.set("k", v("2"));
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
        store.set("k", v("3"), Expiry.idle(IDLE));
        store.set("k", v("4"), Duration.ofMinutes(6));
        clock.advance(Duration.ofMinutes(4));
        store.get("k");
        assertThat(store.ttl("k")).as("a fixed TTL is never refreshed").isEqualTo(Ttl.expiresIn(Duration.ofMinutes(2)));
    }

    @Test
    void expireGivesALiveEntryAnyExpiry() {
        store.set("k", v("1"));
        assertThat(store.expire("k", Expiry.idle(IDLE))).isTrue();
        clock.advance(Duration.ofMinutes(6));
        store.get("k");
        assertThat(store.ttl("k")).isEqualTo(Ttl.expiresIn(IDLE));
        assertThat(store.expire("k", Expiry.never())).isTrue();
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
        assertThat(store.expire("k", Expiry.after(Duration.ofMinutes(1)))).isTrue();
        assertThat(store.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ofMinutes(1)));
        assertThat(store.expire("absent", Expiry.idle(IDLE))).isFalse();
    }

    @Test
    void persistEndsIdleExpiry() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        assertThat(store.persist("k")).isTrue();
        clock.advance(Duration.ofDays(1));
        assertThat(store.get("k")).isPresent();
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
    }

    @Test
    void updateKeepsTheIdleExpiryAsItStands() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        clock.advance(Duration.ofMinutes(3));
        store.update("k", current -> v("2"));
        assertThat(store.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ofMinutes(7)));
        clock.advance(Duration.ofMinutes(4));
        assertThat(text(store.get("k"))).isEqualTo("2");
        assertThat(store.ttl("k"))
                .as("the read refreshed the idle expiry update kept")
                .isEqualTo(Ttl.expiresIn(IDLE));
    }

    @Test
    void setIfAbsentTakesOverAnIdleExpiredKey() {
        store.set("k", v("1"), Expiry.idle(IDLE));
        clock.advance(IDLE);
        assertThat(store.setIfAbsent("k", v("2"), Expiry.idle(IDLE))).isTrue();
        assertThat(store.setIfAbsent("k", v("3"), Expiry.idle(IDLE))).isFalse();
        assertThat(store.getEntry("k").map(Entry::version)).contains(1L);
    }

    @Test
    void aRefreshIsNoChangeInTheChangeStream() {
        assumeCallsCommitOneByOne("a transaction's changes enter the stream when it commits: inside the caller's"
                + " transaction a case cannot read the changes it made");
        KvStore streamed = openTracked(KvConfig.builder().clock(clock).changeStream(true));
        ChangeStream changes = streamed.changes();
        long start = changes.lastSeq();
        streamed.set("k", v("1"), Expiry.idle(IDLE));
        clock.advance(Duration.ofMinutes(6));
        assertThat(streamed.get("k")).isPresent();
        assertThat(streamed.ttl("k")).isEqualTo(Ttl.expiresIn(IDLE));
        streamed.set("k", v("2"), Expiry.idle(IDLE));
        assertThat(changes.read(start, 100))
                .extracting(change -> change.type() + " v" + change.version())
                .containsExactly("SET v1", "SET v2");
    }

    @Test
    void aNamespaceRefreshesItsIdleEntries() {
        KvStore sessions = store.namespace("sessions");
        sessions.set("s", v("1"), Expiry.idle(IDLE));
        clock.advance(Duration.ofMinutes(6));
        assertThat(sessions.get("s")).isPresent();
        assertThat(sessions.ttl("s")).isEqualTo(Ttl.expiresIn(IDLE));
        clock.advance(IDLE);
        assertThat(sessions.get("s")).isEmpty();
    }

    @Test
    void badExpiriesAreRefusedAndWriteNothing() {
        assertThatThrownBy(() -> Expiry.idle(null)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> Expiry.idle(Duration.ZERO)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> Expiry.after(Duration.ofSeconds(-1))).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.set("k", v("1"), (Expiry) null)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.setIfAbsent("k", v("1"), (Expiry) null))
                .isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.set("k", v("1"), Expiry.idle(Duration.ofDays(365L * 10_000))))
                .isInstanceOf(KvValidationException.class);
        assertThat(store.get("k")).isEqualTo(Optional.empty());
    }
}

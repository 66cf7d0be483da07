package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Ttl;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for expiry. */
public abstract class ExpiryContract extends ContractCase {

    protected ExpiryContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void anExpiredEntryIsAbsentToEveryRead() {
        store.set("session:1", v("s"), Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(store.get("session:1")).isEmpty();
        assertThat(store.getEntry("session:1")).isEmpty();
        assertThat(store.exists("session:1")).isFalse();
        assertThat(store.ttl("session:1")).isEqualTo(Ttl.absent());
        assertThat(store.keys("session:")).isEmpty();
    }

    @Test
    void anEntryIsLiveUntilItsExpiry() {
        store.set("k", v("a"), Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertThat(text(store.get("k"))).isEqualTo("a");
        assertThat(store.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ofSeconds(1)));
    }

    @Test
    void ttlOfAnEntryWithoutExpiryIsPersistent() {
        store.set("k", v("a"));
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
        assertThat(store.ttl("k").remaining()).isEmpty();
    }

    @Test
    void expireSetsTheRemainingTime() {
        store.set("k", v("a"));
        assertThat(store.expire("k", Duration.ofMinutes(5))).isTrue();
        assertThat(store.ttl("k").remaining()).contains(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void expireOfAnAbsentOrExpiredKeyIsFalse() {
        assertThat(store.expire("missing", Duration.ofMinutes(1))).isFalse();
        store.set("k", v("a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.expire("k", Duration.ofMinutes(1))).isFalse();
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void persistRemovesTheExpiry() {
        store.set("k", v("a"), Duration.ofSeconds(10));
        assertThat(store.persist("k")).isTrue();
        clock.advance(Duration.ofDays(365));
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
    }

    @Test
    void persistIsFalseWithoutAnExpiryOrALiveEntry() {
        store.set("forever", v("a"));
        assertThat(store.persist("forever")).isFalse();
        assertThat(store.persist("missing")).isFalse();
        store.set("gone", v("a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        assertThat(store.persist("gone")).isFalse();
        assertThat(store.exists("gone")).isFalse();
    }

    @Test
    void ttlMustBePositive() {
        for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThatThrownBy(() -> store.set("k", v("a"), ttl))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("ttl must be positive, but was " + ttl);
            assertThatThrownBy(() -> store.expire("k", ttl)).isInstanceOf(KvValidationException.class);
        }
        assertThatThrownBy(() -> store.set("k", v("a"), (Duration) null))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("ttl must not be null");
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void aTtlBeyondTheYear9999IsRefused() {
        assertThatThrownBy(() -> store.set("k", v("a"), Duration.ofDays(3_000_000)))
                .isInstanceOf(KvValidationException.class)
                .hasMessageContaining("ends after 9999-12-31T23:59:59Z");
    }

    @Test
    void cleanupDeletesOnlyExpiredEntriesAndCountsThem() {
        store.set("keep", v("a"));
        store.set("later", v("b"), Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            store.set("old:" + i, v("x"), Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.cleanupExpired()).isEqualTo(5);
        assertThat(store.cleanupExpired()).isZero();
        assertThat(store.keys("")).containsExactly("keep", "later");
    }

    @Test
    void cleanupWorksThroughMoreRowsThanOneBatch() {
        KvStore batched = openTracked(KvConfig.builder().clock(clock).cleanupBatchSize(3));
        for (int i = 0; i < 10; i++) {
            batched.set("old:" + i, v("x"), Duration.ofSeconds(1));
        }
        batched.set("keep", v("a"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(batched.cleanupExpired()).isEqualTo(10);
        assertThat(batched.keys("")).containsExactly("keep");
    }
}

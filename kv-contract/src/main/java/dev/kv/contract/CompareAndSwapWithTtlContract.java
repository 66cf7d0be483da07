package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CasResult.Outcome;
import dev.kv.KvValidationException;
import dev.kv.Ttl;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases for {@code compareAndSwap(key, expected, value, ttl)} (seed 004): a swap sets the entry's
 * expiry, whatever it had; anything else changes nothing.
 */
public abstract class CompareAndSwapWithTtlContract extends ContractCase {

    protected CompareAndSwapWithTtlContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void aSwapOfALiveEntryMakesItExpireAfterTheTtl() {
        store.set("config:version", v("v1.0"));
        assertThat(store.compareAndSwap("config:version", v("v1.0"), v("v1.1"), Duration.ofSeconds(30))
                        .isSwapped())
                .isTrue();
        assertThat(text(store.get("config:version"))).isEqualTo("v1.1");
        assertThat(store.getEntry("config:version").orElseThrow().version()).isEqualTo(2);
        assertThat(store.ttl("config:version").remaining()).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(store.exists("config:version")).isFalse();
    }

    @Test
    void aSwapReplacesAnEarlierExpiry() {
        store.set("session", v("a"), Duration.ofHours(1));
        assertThat(store.compareAndSwap("session", v("a"), v("b"), Duration.ofMinutes(5))
                        .isSwapped())
                .isTrue();
        assertThat(store.ttl("session").remaining()).contains(Duration.ofMinutes(5));
    }

    @Test
    void aNullExpectedValueCreatesAnAbsentOrExpiredKeyWithTheTtl() {
        assertThat(store.compareAndSwap("job", null, v("worker-1"), Duration.ofSeconds(10))
                        .isSwapped())
                .isTrue();
        assertThat(store.ttl("job").remaining()).contains(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.compareAndSwap("job", null, v("worker-2"), Duration.ofSeconds(20))
                        .isSwapped())
                .isTrue();
        assertThat(text(store.get("job"))).isEqualTo("worker-2");
        assertThat(store.getEntry("job").orElseThrow().version()).isEqualTo(1);
        assertThat(store.ttl("job").remaining()).contains(Duration.ofSeconds(20));
    }

    @Test
    void aMismatchKeepsTheValueVersionAndExpiry() {
        store.set("job", v("worker-1"), Duration.ofMinutes(1));
        var result = store.compareAndSwap("job", v("worker-9"), v("worker-2"), Duration.ofSeconds(5));
        assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(result.current().map(ContractValues::text)).contains("worker-1");
        assertThat(store.compareAndSwap("job", null, v("worker-2"), Duration.ofSeconds(5))
                        .outcome())
                .isEqualTo(Outcome.MISMATCH);
        assertThat(store.getEntry("job").orElseThrow().version()).isEqualTo(1);
        assertThat(store.ttl("job").remaining()).contains(Duration.ofMinutes(1));
    }

    @Test
    void anAbsentOrExpiredKeyIsNotFoundAndStaysAbsent() {
        assertThat(store.compareAndSwap("job", v("a"), v("b"), Duration.ofSeconds(5))
                        .outcome())
                .isEqualTo(Outcome.NOT_FOUND);
        store.set("job", v("a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.compareAndSwap("job", v("a"), v("b"), Duration.ofSeconds(5))
                        .outcome())
                .isEqualTo(Outcome.NOT_FOUND);
        assertThat(store.ttl("job")).isEqualTo(Ttl.absent());
    }

    @Test
    void aMissingOrNonPositiveTtlIsRefusedAndChangesNothing() {
        store.set("job", v("a"));
        assertThatThrownBy(() -> store.compareAndSwap("job", v("a"), v("b"), null))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("ttl must not be null");
        assertThatThrownBy(() -> store.compareAndSwap("job", v("a"), v("b"), Duration.ZERO))
                .isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.compareAndSwap("job", v("a"), v("b"), Duration.ofSeconds(-1)))
                .isInstanceOf(KvValidationException.class);
        assertThat(text(store.get("job"))).isEqualTo("a");
        assertThat(store.ttl("job")).isEqualTo(Ttl.persistent());
    }
}

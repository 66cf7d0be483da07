package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CasResult;
import dev.kv.CasResult.Outcome;
import dev.kv.InvalidValueException;
import dev.kv.Ttl;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases for {@code compareAndSwap(key, null, value)}: a null expected value means "only if
 * absent", the way a key is created atomically when a racing writer may create it too.
 */
public abstract class CompareAndSwapIfAbsentContract extends ContractCase {

    protected CompareAndSwapIfAbsentContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void aNullExpectedValueCreatesAnAbsentKeyWithoutExpiry() {
        assertThat(store.compareAndSwap("job", null, v("worker-1")))
                .isEqualTo(new CasResult(Outcome.SWAPPED, Optional.empty()));
        assertThat(text(store.get("job"))).isEqualTo("worker-1");
        assertThat(store.getEntry("job").orElseThrow().version()).isEqualTo(1);
        assertThat(store.ttl("job")).isEqualTo(Ttl.persistent());
    }

    @Test
    void aNullExpectedValueCreatesAKeyWhoseEntryExpired() {
        store.set("job", v("worker-0"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.compareAndSwap("job", null, v("worker-1")).isSwapped()).isTrue();
        assertThat(text(store.get("job"))).isEqualTo("worker-1");
        assertThat(store.ttl("job")).isEqualTo(Ttl.persistent());
    }

    @Test
    void aNullExpectedValueOfALiveKeyIsAMismatchWithTheCurrentValueAndChangesNothing() {
        store.set("job", v("worker-1"), Duration.ofMinutes(1));
        CasResult result = store.compareAndSwap("job", null, v("worker-2"));
        assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(result.current().map(ContractValues::text)).contains("worker-1");
        assertThat(text(store.get("job"))).isEqualTo("worker-1");
        assertThat(store.getEntry("job").orElseThrow().version()).isEqualTo(1);
        assertThat(store.ttl("job").remaining()).contains(Duration.ofMinutes(1));
    }

    @Test
    void ofWritersRacingToCreateAKeyExactlyOneSwaps() throws Exception {
        List<CasResult> results =
                Concurrently.results(4, thread -> store.compareAndSwap("job", null, v("worker-" + thread)));
        assertThat(results).filteredOn(CasResult::isSwapped).hasSize(1);
        String winner = text(store.get("job"));
        assertThat(results).filteredOn(result -> !result.isSwapped()).allSatisfy(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
            assertThat(result.current().map(ContractValues::text)).contains(winner);
        });
    }

    @Test
    void aNullReplacementIsStillRefused() {
        assertThatThrownBy(() -> store.compareAndSwap("job", null, null))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value must not be null");
        assertThat(store.exists("job")).isFalse();
    }
}

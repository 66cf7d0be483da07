package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidValueException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Limits;
import dev.kv.Ttl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract's cases for update. */
public abstract class UpdateContract extends ContractCase {

    protected UpdateContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void updateOfAnAbsentKeyReceivesNull() {
        List<byte[]> seen = new ArrayList<>();
        store.update("counter", current -> {
            seen.add(current);
            return v("1");
        });
        assertThat(seen).containsExactly((byte[]) null);
        assertThat(text(store.get("counter"))).isEqualTo("1");
        assertThat(store.ttl("counter")).isEqualTo(Ttl.persistent());
    }

    @Test
    void updateOfAnExpiredKeyReceivesNull() {
        store.set("counter", v("41"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        store.update("counter", current -> current == null ? v("0") : v("wrong"));
        assertThat(text(store.get("counter"))).isEqualTo("0");
    }

    @Test
    void updateReceivesTheCurrentValueAndReturnsTheNewOne() {
        store.set("counter", v("41"));
        Optional<byte[]> result =
                store.update("counter", current -> v(String.valueOf(Integer.parseInt(text(current)) + 1)));
        assertThat(text(result)).isEqualTo("42");
        assertThat(text(store.get("counter"))).isEqualTo("42");
    }

    @Test
    void updateWithoutTtlKeepsTheExpiry() {
        store.set("k", v("a"), Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(10));
        store.update("k", current -> v("b"));
        assertThat(store.ttl("k").remaining()).contains(Duration.ofSeconds(50));
    }

    @Test
    void updateWithTtlSetsANewExpiry() {
        store.set("k", v("a"));
        store.update("k", Duration.ofMinutes(1), current -> v("b"));
        assertThat(store.ttl("k").remaining()).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void returningNullDeletesTheEntry() {
        store.set("k", v("a"));
        assertThat(store.update("k", current -> null)).isEmpty();
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void anExceptionFromTheFunctionChangesNothingAndReachesTheCaller() {
        store.set("balance", v("10"));
        IllegalStateException insufficient = new IllegalStateException("insufficient funds");
        assertThatThrownBy(() -> store.update("balance", current -> {
                    throw insufficient;
                }))
                .isSameAs(insufficient);
        assertThat(text(store.get("balance"))).isEqualTo("10");
        assertThat(store.getEntry("balance").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void anInvalidNewValueChangesNothing() {
        KvStore small = openTracked(KvConfig.builder().clock(clock).limits(new Limits(64, 16)));
        small.set("k", v("a"));
        assertThatThrownBy(() -> small.update("k", current -> v("x".repeat(100))))
                .isInstanceOf(InvalidValueException.class);
        assertThat(text(small.get("k"))).isEqualTo("a");
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        incrementConcurrently(List.of(store, store), "counter", 8, 500);
        assertThat(text(store.get("counter"))).isEqualTo("4000");
    }

    @Test
    void writersRacingOnAMissingKeyAllApply() throws Exception {
        for (int round = 0; round < 5; round++) {
            incrementConcurrently(List.of(store), "fresh:" + round, 8, 1);
            assertThat(text(store.get("fresh:" + round))).isEqualTo("8");
        }
    }

    /** Runs {@code threads} threads, spread over {@code stores}, each incrementing {@code key} {@code times} times. */
    public static void incrementConcurrently(List<KvStore> stores, String key, int threads, int times)
            throws Exception {
        Concurrently.run(threads, thread -> {
            KvStore target = stores.get(thread % stores.size());
            for (int i = 0; i < times; i++) {
                target.update(
                        key, current -> v(String.valueOf(current == null ? 1 : Long.parseLong(text(current)) + 1)));
            }
        });
    }
}

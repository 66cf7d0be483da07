package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for set if absent. */
public abstract class SetIfAbsentContract extends ContractCase {

    protected SetIfAbsentContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void storesWhenAbsent() {
        assertThat(store.setIfAbsent("lock:a", v("owner-1"))).isTrue();
        assertThat(text(store.get("lock:a"))).isEqualTo("owner-1");
    }

    @Test
    void keepsTheExistingValueWhenPresent() {
        store.set("lock:a", v("owner-1"));
        assertThat(store.setIfAbsent("lock:a", v("owner-2"))).isFalse();
        assertThat(text(store.get("lock:a"))).isEqualTo("owner-1");
        assertThat(store.getEntry("lock:a").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void storesWhenTheExistingEntryExpired() {
        store.set("lock:a", v("owner-1"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.setIfAbsent("lock:a", v("owner-2"), Duration.ofSeconds(10)))
                .isTrue();
        assertThat(text(store.get("lock:a"))).isEqualTo("owner-2");
        assertThat(store.ttl("lock:a").remaining()).contains(Duration.ofSeconds(10));
        assertThat(store.getEntry("lock:a").orElseThrow().createdAt()).isEqualTo(START.plusSeconds(10));
    }

    @Test
    void onlyOneOfManyConcurrentCallersWins() throws Exception {
        int threads = 8;
        List<Boolean> results = Concurrently.results(threads, i -> store.setIfAbsent("lock:race", v("owner-" + i)));
        int winners = java.util.Collections.frequency(results, true);
        assertThat(winners).isEqualTo(1);
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for stats. */
public abstract class StatsContract extends ContractCase {

    protected StatsContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void countersFollowTheOperations() {
        store.set("a", v("x"));
        store.set("b", v("y"), Duration.ofSeconds(1));
        store.get("a");
        store.get("missing");
        store.getMany(List.of("a", "missing"));
        store.delete("a");
        clock.advance(Duration.ofSeconds(1));
        store.cleanupExpired();

        KvStats stats = store.stats();
        assertThat(stats.gets()).isEqualTo(4);
        assertThat(stats.hits()).isEqualTo(2);
        assertThat(stats.misses()).isEqualTo(2);
        assertThat(stats.hitRate()).isEqualTo(0.5);
        assertThat(stats.sets()).isEqualTo(2);
        assertThat(stats.deletes()).isEqualTo(1);
        assertThat(stats.expirations()).isEqualTo(1);
        assertThat(stats.entryCount()).isZero();
        assertThat(stats.totalValueBytes()).isZero();
    }

    @Test
    void sizeCountsLiveEntriesOnly() {
        store.set("a", v("x"));
        store.set("b", v("yy"), Duration.ofSeconds(1));
        assertThat(store.stats().entryCount()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        KvStats stats = store.stats();
        assertThat(stats.entryCount()).isEqualTo(1);
        assertThat(stats.totalValueBytes()).isGreaterThanOrEqualTo(3);
    }
}

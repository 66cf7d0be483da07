package dev.kv.contract;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract's cases for delete. */
public abstract class DeleteContract extends ContractCase {

    protected DeleteContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void deleteRemovesALiveEntry() {
        store.set("k", v("a"));
        assertThat(store.delete("k")).isTrue();
        assertThat(store.get("k")).isEmpty();
    }

    @Test
    void deleteOfAnAbsentKeyIsFalse() {
        assertThat(store.delete("missing")).isFalse();
    }

    @Test
    void deleteOfAnExpiredKeyIsFalse() {
        store.set("k", v("a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.delete("k")).isFalse();
    }
}

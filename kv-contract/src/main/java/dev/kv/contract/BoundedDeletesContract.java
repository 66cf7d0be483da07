package dev.kv.contract;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.KvValidationException;
import dev.kv.ScanOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases for deletes by prefix, range and glob with a limit (seed 003's {@code DeletePrefix}
 * and {@code DeleteRange} with {@code limit}): at most that many live keys, the first in the scan's
 * order, so that a huge prefix can be deleted in bounded steps.
 */
public abstract class BoundedDeletesContract extends ContractCase {

    protected BoundedDeletesContract(KvStoreContract fixture) {
        super(fixture);
    }

    @BeforeEach
    void fill() {
        for (String key : List.of("p:1", "p:2", "p:3", "p:4", "p:5", "q:1")) {
            store.set(key, v(key));
        }
    }

    @Test
    void deletePrefixWithALimitDeletesTheFirstKeysInKeyOrder() {
        assertThat(store.deletePrefix("p:", 2)).isEqualTo(2);
        assertThat(store.keys("")).containsExactly("p:3", "p:4", "p:5", "q:1");
        assertThat(store.deletePrefix("p:", 2)).isEqualTo(2);
        assertThat(store.deletePrefix("p:", 2)).isEqualTo(1);
        assertThat(store.deletePrefix("p:", 2)).isZero();
        assertThat(store.keys("")).containsExactly("q:1");
    }

    @Test
    void deleteRangeWithALimitDeletesTheFirstKeysOfTheRange() {
        assertThat(store.deleteRange("p:2", "q", 2)).isEqualTo(2);
        assertThat(store.keys("")).containsExactly("p:1", "p:4", "p:5", "q:1");
    }

    @Test
    void aDescendingSelectionDeletesTheLastKeys() {
        assertThat(store.delete(ScanOptions.prefix("p:").descending().limit(2))).isEqualTo(2);
        assertThat(store.keys("p:")).containsExactly("p:1", "p:2", "p:3");
        assertThat(store.delete(ScanOptions.glob("?:*").limit(2))).isEqualTo(2);
        assertThat(store.keys("")).containsExactly("p:3", "q:1");
    }

    @Test
    void expiredEntriesDoNotCountTowardsTheLimit() {
        store.set("p:0", v("gone"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.deletePrefix("p:", 2)).isEqualTo(2);
        assertThat(store.keys("p:")).containsExactly("p:3", "p:4", "p:5");
    }

    @Test
    void aLimitBelowOneIsRefusedAndDeletesNothing() {
        assertThatThrownBy(() -> store.deletePrefix("p:", 0)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.deleteRange("p:", "q", -1)).isInstanceOf(KvValidationException.class);
        assertThat(store.keys("")).hasSize(6);
    }
}

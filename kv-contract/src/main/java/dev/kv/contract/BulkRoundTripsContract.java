package dev.kv.contract;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases for the cost of bulk deletes: each makes as many round trips to the database
 * for thirty keys as for three, on every face whose runner counts them ({@link
 * KvStoreContract#roundTrips()}). A face that fell back to deleting key by key fails here.
 */
public abstract class BulkRoundTripsContract extends ContractCase {

    private static final int FEW = 3;
    private static final int MANY = 30;

    protected BulkRoundTripsContract(KvStoreContract fixture) {
        super(fixture);
    }

    private LongSupplier roundTrips;

    @BeforeEach
    void takeTheRoundTripCounter() {
        Optional<LongSupplier> counter = roundTrips();
        assumeTrue(counter.isPresent(), "the runner of this face counts no round trips to a database");
        roundTrips = counter.get();
    }

    /** Writes {@code count} keys under {@code prefix}, and one key beside them. */
    private List<String> written(String prefix, int count) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put(prefix + String.format("%02d", i), v("x"));
        }
        store.setMany(entries);
        store.set("beside:" + prefix, v("kept"));
        return List.copyOf(entries.keySet());
    }

    /**
     * The round trips of {@code delete} on {@code count} keys under {@code prefix}, after checking
     * that it deleted exactly those keys.
     */
    private long roundTripsOf(String prefix, int count, ToLongFunction<List<String>> delete) {
        List<String> keys = written(prefix, count);
        long before = roundTrips.getAsLong();
        long deleted = delete.applyAsLong(keys);
        long cost = roundTrips.getAsLong() - before;
        assertThat(deleted).as("deleted").isEqualTo(count);
        assertThat(store.getMany(keys)).as("left of the deleted keys").isEmpty();
        return cost;
    }

    private void assertSameCost(String operation, String prefix, ToLongFunction<List<String>> delete) {
        long few = roundTripsOf(prefix + FEW + ":", FEW, delete);
        long many = roundTripsOf(prefix + MANY + ":", MANY, delete);
        assertThat(many)
                .as("round trips of %s for %d keys (%d for %d keys)", operation, MANY, few, FEW)
                .isEqualTo(few);
        assertThat(store.exists("beside:" + prefix + MANY + ":"))
                .as("the key beside them")
                .isTrue();
    }

    @Test
    void deleteManyCostsTheSameForThirtyKeysAsForThree() {
        assertSameCost("deleteMany", "many", store::deleteMany);
    }

    @Test
    void deletePrefixCostsTheSameForThirtyKeysAsForThree() {
        assertSameCost("deletePrefix", "prefix", keys -> store.deletePrefix(prefixOf(keys)));
    }

    @Test
    void deleteRangeCostsTheSameForThirtyKeysAsForThree() {
        assertSameCost("deleteRange", "range", keys -> {
            String prefix = prefixOf(keys);
            return store.deleteRange(prefix, prefix.substring(0, prefix.length() - 1) + ";");
        });
    }

    @Test
    void clearCostsTheSameForThirtyKeysAsForThree() {
        // clear also deletes the key written beside them
        long few = roundTripsOf("clear" + FEW + ":", FEW, keys -> store.clear() - 1);
        long many = roundTripsOf("clear" + MANY + ":", MANY, keys -> store.clear() - 1);
        assertThat(many)
                .as("round trips of clear for %d keys (%d for %d keys)", MANY, few, FEW)
                .isEqualTo(few);
    }

    /** The prefix the keys of {@link #written} share, up to and including its colon. */
    private static String prefixOf(List<String> keys) {
        String key = keys.get(0);
        return key.substring(0, key.indexOf(':') + 1);
    }
}

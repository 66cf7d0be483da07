package dev.kv.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every feature's cases: the store under test and its clock, both owned by the {@link
 * KvStoreContract} that runs the cases as one of its nested classes.
 */
public abstract class ContractCase {

    private final KvStoreContract fixture;
    protected final MutableClock clock;
    protected KvStore store;

    protected ContractCase(KvStoreContract fixture) {
        this.fixture = fixture;
        this.clock = fixture.clock;
    }

    @BeforeEach
    void takeTheFixturesStore() {
        store = fixture.store;
    }

    /** Opens another store of the backend under test, closed after the case. */
    protected KvStore openTracked(KvConfig.Builder settings) {
        return fixture.openTracked(settings);
    }

    /**
     * Skips the case, saying why, where a caller's transaction spans it ({@link
     * KvStoreContract#callsCommitOneByOne()}): for a case that needs one of its calls committed before
     * another.
     */
    protected void assumeCallsCommitOneByOne(String because) {
        assumeTrue(fixture.callsCommitOneByOne(), because);
    }

    /** The round trips the face under test has made to its database so far, where its runner counts them. */
    protected Optional<LongSupplier> roundTrips() {
        return fixture.roundTrips();
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour of every {@link KvStore}, written once and run on every face a user can reach a
 * store through: each backend and configuration, each view, the injected CDI store, inside WildFly
 * and inside Quarkus. A runner supplies the store; each feature's cases live in their own class
 * ({@code *Contract}) and run here as a nested class. Values are JSON strings ({@link
 * ContractValues#v}), valid in every format and unchanged by JSONB normalisation.
 *
 * <p>Time never passes by itself: every store the contract opens reads {@link #clock}, which the
 * cases move by hand.
 */
public abstract class KvStoreContract {

    protected final MutableClock clock = new MutableClock(START);
    protected KvStore store;
    private final List<KvStore> opened = new ArrayList<>();

    /** Opens a store of the face under test with these settings; the runner adds its own table and format. */
    protected abstract KvStore open(KvConfig.Builder settings);

    /** Removes every entry the previous case left. */
    protected abstract void deleteAllEntries();

    /**
     * The round trips the face under test has made to its database so far — statements, commits and
     * rollbacks — for the cases that prove what a bulk operation costs; empty where the runner cannot
     * see them (a memory store has no database), and those cases are skipped saying so.
     */
    protected Optional<LongSupplier> roundTrips() {
        return Optional.empty();
    }

    /**
     * Whether every call of a case commits on its own, as on a face called outside any transaction.
     * A runner that runs each case inside one caller's transaction answers false; the cases that need
     * a commit between two of their calls then skip, saying which commit and why.
     */
    protected boolean callsCommitOneByOne() {
        return true;
    }

    @BeforeEach
    void openStore() {
        deleteAllEntries();
        store = openTracked(KvConfig.builder().clock(clock));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(KvStore::close);
        opened.clear();
    }

    /** Opens a store of the face under test, closed after the case. */
    public KvStore openTracked(KvConfig.Builder settings) {
        KvStore store = open(settings);
        opened.add(store);
        return store;
    }

    @Nested
    class GetAndSet extends GetAndSetContract {
        GetAndSet() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Entries extends EntriesContract {
        Entries() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Expiry extends ExpiryContract {
        Expiry() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class SetIfAbsent extends SetIfAbsentContract {
        SetIfAbsent() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Delete extends DeleteContract {
        Delete() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Update extends UpdateContract {
        Update() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Keys extends KeysContract {
        Keys() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Validation extends ValidationContract {
        Validation() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class JsonValues extends JsonValuesContract {
        JsonValues() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Batches extends BatchesContract {
        Batches() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Counters extends CountersContract {
        Counters() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Scans extends ScansContract {
        Scans() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class AtomicOperations extends AtomicOperationsContract {
        AtomicOperations() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class GlobScans extends GlobScansContract {
        GlobScans() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class GlobMatching extends GlobMatchingContract {
        GlobMatching() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class GlobSelection extends GlobSelectionContract {
        GlobSelection() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Namespaces extends NamespacesContract {
        Namespaces() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class TypedStores extends TypedStoresContract {
        TypedStores() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Versions extends VersionsContract {
        Versions() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Transactions extends TransactionsContract {
        Transactions() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class AtomicBatches extends AtomicBatchesContract {
        AtomicBatches() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class BoundedDeletes extends BoundedDeletesContract {
        BoundedDeletes() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Stats extends StatsContract {
        Stats() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class CleanupStrategies extends CleanupStrategiesContract {
        CleanupStrategies() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Locks extends LocksContract {
        Locks() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class BulkRoundTrips extends BulkRoundTripsContract {
        BulkRoundTrips() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class ChangeStreams extends ChangeStreamsContract {
        ChangeStreams() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class NestedNamespaces extends NestedNamespacesContract {
        NestedNamespaces() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class CompareAndSwapIfAbsent extends CompareAndSwapIfAbsentContract {
        CompareAndSwapIfAbsent() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class CompareAndSwapWithTtl extends CompareAndSwapWithTtlContract {
        CompareAndSwapWithTtl() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class IdleExpiry extends IdleExpiryContract {
        IdleExpiry() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class WriteBack extends WriteBackContract {
        WriteBack() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class Streams extends StreamsContract {
        Streams() {
            super(KvStoreContract.this);
        }
    }

    @Nested
    class TypedStoreCoverage extends TypedStoreCoverageContract {
        TypedStoreCoverage() {
            super(KvStoreContract.this);
        }
    }
}

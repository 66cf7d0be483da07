package dev.kv.cdi.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.cdi.KvStores;
import dev.kv.contract.KvStoreContract;
import jakarta.enterprise.context.control.RequestContextController;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on the store applications inject: {@link KvStores#open} builds it exactly as {@code
 * @Inject KvStore} gets it — joined to the container's JTA transactions through the application's
 * transaction-scoped EntityManager, firing events, reporting metrics — with the contract's settings
 * and clock. Each case runs in a request, as a call to a servlet or REST resource would.
 */
abstract class InjectedStoreContract extends KvStoreContract {

    private static final String STORE = "contract";

    protected final InjectedApplication application = InjectedApplication.get();
    private final InjectedTable table;
    private RequestContextController request;

    InjectedStoreContract(InjectedTable table) {
        this.table = table;
    }

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return application.stores().open(STORE, table.apply(settings));
    }

    @Override
    protected void deleteAllEntries() {
        table.deleteAllEntries();
    }

    /**
     * The statements of every store, as Hibernate hands them to the application's DataSource; the
     * commits Narayana drives through Agroal's resource bypass it and are not counted.
     */
    @Override
    protected Optional<LongSupplier> roundTrips() {
        return Optional.of(() -> application.dataSource().roundTrips().size());
    }

    @BeforeEach
    void beginRequest() {
        application.dataSource().reset();
        request = application.requestContext();
        request.activate();
    }

    @AfterEach
    void endRequest() {
        request.deactivate();
    }
}

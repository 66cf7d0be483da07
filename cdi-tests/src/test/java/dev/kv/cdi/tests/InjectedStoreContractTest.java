package dev.kv.cdi.tests;

import dev.kv.cdi.KvStores;
import dev.kv.contract.cdi.InjectedStoreContract;
import jakarta.enterprise.context.control.RequestContextController;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on the injected store called outside any transaction: each call runs in a JTA
 * transaction of its own, begun and committed by the store's {@code @Transactional(REQUIRED)}
 * boundary. Each case runs in a request, as a call to a servlet or REST resource would.
 */
class InjectedStoreContractTest extends InjectedStoreContract {

    protected final InjectedApplication application = InjectedApplication.get();

    @Override
    protected KvStores stores() {
        return application.stores();
    }

    @Override
    protected DataSource dataSource() {
        return application.dataSource();
    }

    @Override
    protected String table() {
        return "contract_injected";
    }

    @Override
    protected Optional<RequestContextController> requestContext() {
        return Optional.of(application.requestContext());
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
    void countFromZero() {
        application.dataSource().reset();
    }
}

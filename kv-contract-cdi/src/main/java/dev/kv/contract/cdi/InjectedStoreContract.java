package dev.kv.contract.cdi;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.cdi.KvStores;
import dev.kv.contract.KvStoreContract;
import jakarta.enterprise.context.control.RequestContextController;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on the store a CDI container injects: every store the cases open comes from {@link
 * KvStores#open}, so it is joined to the container's JTA transactions over the application's
 * EntityManager, fires change events and reports metrics, exactly as an injected one; only its
 * settings (the contract's clock, limits, cleanup strategy) are given in code, and the container owns
 * the schema, as kv-cdi's MicroProfile settings have it. Its table ({@value #TABLE} unless the runner
 * names another) is an {@link InjectedTable} on the application's DataSource.
 *
 * <p>A runner supplies the container's {@link KvStores} bean and DataSource; one that runs several
 * runners on one database names a table for each, and one whose cases do not already run in a
 * request gives the container's request context to run each case in.
 */
public abstract class InjectedStoreContract extends KvStoreContract {

    /** The table every case runs on, unless the runner names another. */
    public static final String TABLE = "kv_contract";

    /** The name the stores are opened under, and report their metrics by. */
    public static final String STORE_NAME = "contract";

    private RequestContextController request;

    /** The container's stores. */
    protected abstract KvStores stores();

    /** The application's DataSource, that the stores' EntityManager runs on. */
    protected abstract DataSource dataSource();

    /** The table the cases run on. */
    protected String table() {
        return TABLE;
    }

    /**
     * The container's request context, activated around each case as a call to a servlet or REST
     * resource has one; empty where the cases already run in a request.
     */
    protected Optional<RequestContextController> requestContext() {
        return Optional.empty();
    }

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return stores().open(STORE_NAME, injectedTable().apply(settings));
    }

    @Override
    protected void deleteAllEntries() {
        injectedTable().deleteAllEntries();
    }

    @BeforeEach
    void beginRequest() {
        request = requestContext().orElse(null);
        if (request != null) {
            request.activate();
        }
    }

    @AfterEach
    void endRequest() {
        if (request != null) {
            request.deactivate();
        }
    }

    private InjectedTable injectedTable() {
        return new InjectedTable(dataSource(), table());
    }
}

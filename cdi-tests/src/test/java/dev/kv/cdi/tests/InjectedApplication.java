package dev.kv.cdi.tests;

import dev.kv.cdi.KvStores;
import dev.kv.testing.CountingDataSource;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.transaction.TransactionManager;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The CDI container of this test JVM, started on first use and shut down when the JVM exits. Weld
 * finds its beans on the class path as a server finds them in a deployment: kv-cdi's, Narayana's
 * JTA extension ({@code @Transactional} interceptors, the TransactionManager and the
 * TransactionSynchronizationRegistry) and the application's ({@link ApplicationResources}).
 */
final class InjectedApplication {

    private static InjectedApplication instance;

    private final WeldContainer container;

    private InjectedApplication(WeldContainer container) {
        this.container = container;
    }

    static synchronized InjectedApplication get() {
        if (instance == null) {
            instance = new InjectedApplication(new Weld().initialize());
        }
        return instance;
    }

    KvStores stores() {
        return container.select(KvStores.class).get();
    }

    TransactionManager transactions() {
        return container.select(TransactionManager.class).get();
    }

    RequestContextController requestContext() {
        return container.select(RequestContextController.class).get();
    }

    /** The application's DataSource, which counts the round trips of every store. */
    CountingDataSource dataSource() {
        return container.select(CountingDataSource.class).get();
    }
}

package dev.kv.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes the expired entries of the application's stores, each store in a transaction of its own.
 * Called by the platform's scheduler: the EJB timer {@link dev.kv.cdi.ejb.ExpiryCleanupTimer} on
 * Jakarta EE, {@code @Scheduled} on Quarkus. Several instances of the application may run it at
 * once: the store deletes in batches with {@code FOR UPDATE SKIP LOCKED}, so each expired row is
 * deleted by exactly one of them and none waits for another.
 */
@ApplicationScoped
public class ExpiryCleaner {

    private static final Logger LOG = Logger.getLogger(ExpiryCleaner.class.getName());

    private final KvStores stores;
    private final KvSettings settings;
    private final KvTransactions transactions;

    @Inject
    public ExpiryCleaner(KvStores stores, KvSettings settings, KvTransactions transactions) {
        this.stores = stores;
        this.settings = settings;
        this.transactions = transactions;
    }

    protected ExpiryCleaner() {
        this(null, null, null);
    }

    /**
     * Cleans the configured stores ({@code kv.cleanup.stores}), or else every store used so far.
     * A failing store is logged and the others are still cleaned.
     *
     * @return the number of entries deleted
     */
    public long cleanup() {
        Collection<String> names = settings.cleanup().stores().isEmpty()
                ? stores.names()
                : settings.cleanup().stores();
        long deleted = 0;
        for (String name : names) {
            try {
                deleted += cleanup(name);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "kv cleanup of store \"" + name + "\" failed", e);
            }
        }
        return deleted;
    }

    /** Cleans one store in a new transaction, whatever the caller's. */
    public long cleanup(String name) {
        return transactions.requiresNew(() -> stores.store(name).cleanupExpired());
    }
}

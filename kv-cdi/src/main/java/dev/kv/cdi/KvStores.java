package dev.kv.cdi;

import dev.kv.DataLossEvent;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.jpa.JpaKvStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Logger;

/**
 * The application's stores, one per name, created on first use. Every store runs its SQL on the
 * connection of the application's {@link EntityManager} bean — the container's transaction-scoped
 * one — so it uses the application's DataSource and never a pool of its own.
 *
 * <p>On Jakarta EE the application exposes its persistence context as a bean: {@code @Produces
 * @PersistenceContext EntityManager entityManager;}. Quarkus provides that bean itself.
 */
@ApplicationScoped
public class KvStores {

    private static final Logger LOG = Logger.getLogger(KvStores.class.getName());

    private final ConcurrentMap<String, KvStore> stores = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DataLossEvent> dataLoss = new ConcurrentHashMap<>();
    private final KvSettings settings;
    private final Instance<EntityManager> entityManagers;
    private final KvTransactions transactions;
    private final Event<KvChange> changes;
    private final BeanManager beans;
    private final KvMetrics metrics;

    @Inject
    public KvStores(
            KvSettings settings,
            Instance<EntityManager> entityManagers,
            KvTransactions transactions,
            Event<KvChange> changes,
            BeanManager beans,
            KvMetrics metrics) {
        this.settings = settings;
        this.entityManagers = entityManagers;
        this.transactions = transactions;
        this.changes = changes;
        this.beans = beans;
        this.metrics = metrics;
    }

    /** Required by CDI for the client proxy of a normal-scoped bean. */
    protected KvStores() {
        this(null, null, null, null, null, null);
    }

    /** The store named {@code name}, created and configured on first use. */
    public KvStore store(String name) {
        return stores.computeIfAbsent(name, this::create);
    }

    /** The names of the stores created so far. */
    public Set<String> names() {
        return new TreeSet<>(stores.keySet());
    }

    /**
     * The last time store {@code name} found its UNLOGGED table emptied by a database crash (see
     * {@link KvConfig#onDataLoss()}), for the readiness check; empty if it never did.
     */
    public Optional<DataLossEvent> dataLoss(String name) {
        return Optional.ofNullable(dataLoss.get(name));
    }

    private KvStore create(String name) {
        KvConfig config = settings.store(name);
        LOG.info(() -> "kv store \"" + name + "\": " + config);
        return open(name, config);
    }

    /**
     * A store configured in code rather than by MicroProfile Config, exactly as the injected ones
     * behave: on the application's {@link EntityManager}, joined to the container's transactions,
     * firing {@link KvChange} events and reporting to the metrics under {@code name}. It is not
     * remembered here: every call returns a new store.
     */
    public KvStore open(String name, KvConfig config) {
        if (!entityManagers.isResolvable()) {
            throw new IllegalStateException("kv store \"" + name + "\" needs exactly one EntityManager bean of the"
                    + " application's persistence unit, e.g. @Produces @PersistenceContext EntityManager em;"
                    + (entityManagers.isAmbiguous() ? " (there are several)" : " (there is none)"));
        }
        // The container's EntityManager is a thread-safe proxy to the current transaction's context.
        EntityManager entityManager = entityManagers.get();
        KvConfig reporting = config.toBuilder()
                .onDataLoss(event -> {
                    dataLoss.put(name, event);
                    config.onDataLoss().accept(event);
                })
                .build();
        return new TransactionalKvStore(
                name,
                JpaKvStores.joining(() -> entityManager, reporting),
                transactions,
                ChangeEvents.of(changes, beans),
                metrics);
    }
}

package dev.kv.cdi;

import dev.kv.KvStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;

/** Produces the stores: {@code @Inject KvStore} and {@code @Inject @KvStoreName("sessions") KvStore}. */
@ApplicationScoped
public class KvStoreProducers {

    private final KvStores stores;

    @Inject
    public KvStoreProducers(KvStores stores) {
        this.stores = stores;
    }

    protected KvStoreProducers() {
        this(null);
    }

    /** The store named {@value KvSettings#DEFAULT_STORE}. */
    @Produces
    @Default
    @Dependent
    public KvStore defaultStore() {
        return stores.store(KvSettings.DEFAULT_STORE);
    }

    /** The store named by the injection point's {@link KvStoreName}. */
    @Produces
    @KvStoreName("")
    @Dependent
    public KvStore namedStore(InjectionPoint injectionPoint) {
        String name = injectionPoint.getQualifiers().stream()
                .filter(KvStoreName.class::isInstance)
                .map(q -> ((KvStoreName) q).value())
                .findFirst()
                .orElseThrow();
        if (name.isBlank()) {
            throw new IllegalArgumentException("@KvStoreName needs a name, at " + injectionPoint.getMember());
        }
        return stores.store(name);
    }
}

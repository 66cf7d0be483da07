package dev.kv.cdi.health;

import dev.kv.cdi.KvSettings;
import dev.kv.cdi.KvStores;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness: every store used so far (at least the default one) answers a read
 * of its table, so the database is reachable and the table exists. A store that found its UNLOGGED
 * table emptied by a database crash stays UP (the table takes writes again; taking every instance
 * out of service would not bring the entries back) and says so in its data, with {@code
 * <name>.dataLoss} giving when it was detected.
 */
@Readiness
@ApplicationScoped
public class KvReadinessCheck implements HealthCheck {

    /** A key no application writes; reading it touches the table through its primary key. */
    static final String PROBE_KEY = "kv:readiness-probe";

    private final KvStores stores;

    @Inject
    public KvReadinessCheck(KvStores stores) {
        this.stores = stores;
    }

    protected KvReadinessCheck() {
        this(null);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kv").up();
        Set<String> names = stores.names();
        if (names.isEmpty()) {
            names = Set.of(KvSettings.DEFAULT_STORE);
        }
        for (String name : names) {
            try {
                stores.store(name).exists(PROBE_KEY);
                response.withData(name, "up: " + stores.store(name).config().table());
                stores.dataLoss(name)
                        .ifPresent(loss -> response.withData(
                                name + ".dataLoss",
                                "UNLOGGED table " + loss.table() + " emptied by a database crash, detected at "
                                        + loss.detectedAt()));
            } catch (RuntimeException e) {
                response.down().withData(name, "down: " + e.getMessage());
            }
        }
        return response.build();
    }
}

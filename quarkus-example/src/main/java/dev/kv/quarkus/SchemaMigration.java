package dev.kv.quarkus;

import dev.kv.cdi.KvSettings;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Applies kv's Liquibase changelog to the table of each store of this application at start-up,
 * before requests are served. Liquibase's lock table makes instances starting at once wait for
 * each other instead of colliding.
 */
@ApplicationScoped
public class SchemaMigration {

    /** The stores this application uses: JSON values, binary values and the rate limiter's counters. */
    static final List<String> STORES = List.of(KvSettings.DEFAULT_STORE, "blobs", "ratelimits");

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    private volatile boolean done;

    void migrate(@Observes StartupEvent start, DataSource dataSource, KvSettings settings) {
        for (String store : STORES) {
            var table = KvTableDefinition.of(settings.store(store));
            KvMigrations.update(dataSource, table);
            LOG.info(() -> "kv table " + table.schema() + "." + table.table() + " is up to date");
        }
        done = true;
    }

    /** Whether every table is migrated; the scheduler may start jobs before start-up observers end. */
    public boolean done() {
        return done;
    }
}

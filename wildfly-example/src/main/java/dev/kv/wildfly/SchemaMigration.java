package dev.kv.wildfly;

import dev.kv.cdi.KvSettings;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Applies kv's Liquibase changelog to the table of each store of this application at deployment,
 * before any request is served. Liquibase commits its own work, so no JTA transaction is open; its
 * lock table makes instances deploying at once wait for each other instead of colliding.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SchemaMigration {

    /** The stores this application uses: JSON values, binary values and the rate limiter's counters. */
    static final List<String> STORES = List.of(KvSettings.DEFAULT_STORE, "blobs", "ratelimits");

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "java:jboss/datasources/KvDS")
    private DataSource dataSource;

    @Inject
    private KvSettings settings;

    @PostConstruct
    void migrate() {
        for (String store : STORES) {
            var table = KvTableDefinition.of(settings.store(store));
            KvMigrations.update(dataSource, table);
            LOG.info(() -> "kv table " + table.schema() + "." + table.table() + " is up to date");
        }
    }
}

package dev.kv.quarkus;

import dev.kv.cdi.ExpiryCleaner;
import dev.kv.cdi.KvSettings;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Quarkus has no EJB timers: its scheduler runs kv's {@link ExpiryCleaner} every {@code
 * kv.cleanup.interval}, unless {@code kv.cleanup.enabled=false}. A run still going when the next
 * is due makes that one skip.
 */
@ApplicationScoped
public class ScheduledExpiryCleanup {

    private final ExpiryCleaner cleaner;
    private final KvSettings settings;

    @Inject
    public ScheduledExpiryCleanup(ExpiryCleaner cleaner, KvSettings settings) {
        this.cleaner = cleaner;
        this.settings = settings;
    }

    @Scheduled(
            identity = "kv-expiry-cleanup",
            every = "${kv.cleanup.interval:PT1M}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ScheduledExpiryCleanup.UntilMigrated.class)
    void cleanup() {
        if (settings.cleanup().enabled()) {
            cleaner.cleanup();
        }
    }

    /** Skips the runs due before {@link SchemaMigration} has created the tables. */
    @Singleton
    public static class UntilMigrated implements Scheduled.SkipPredicate {

        private final SchemaMigration migration;

        @Inject
        public UntilMigrated(SchemaMigration migration) {
            this.migration = migration;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !migration.done();
        }
    }
}

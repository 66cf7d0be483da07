package dev.kv.cdi.ejb;

import dev.kv.cdi.ExpiryCleaner;
import dev.kv.cdi.KvSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Runs {@link ExpiryCleaner} on Jakarta EE: a non-persistent interval timer created at deployment,
 * every {@code kv.cleanup.interval} (default one minute) unless {@code kv.cleanup.enabled=false}.
 *
 * <p>The timer is created in code rather than with {@code @Schedule}, whose attributes are fixed at
 * compile time, so that the interval is configurable. It is non-persistent: each instance of the
 * application has its own, and instances on one database share the work safely (see {@link
 * ExpiryCleaner}). Bean-managed transactions: the cleaner opens one transaction per store.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class ExpiryCleanupTimer {

    private static final Logger LOG = Logger.getLogger(ExpiryCleanupTimer.class.getName());

    @Resource
    private TimerService timerService;

    @Inject
    private KvSettings settings;

    @Inject
    private ExpiryCleaner cleaner;

    @PostConstruct
    void schedule() {
        KvSettings.Cleanup cleanup = settings.cleanup();
        if (!cleanup.enabled()) {
            LOG.info("kv expiry cleanup timer disabled (kv.cleanup.enabled=false)");
            return;
        }
        long interval = cleanup.interval().toMillis();
        timerService.createIntervalTimer(interval, interval, new TimerConfig("kv-expiry-cleanup", false));
        LOG.info(() -> "kv expiry cleanup every " + cleanup.interval());
    }

    @Timeout
    void cleanup() {
        long deleted = cleaner.cleanup();
        if (deleted > 0) {
            LOG.fine(() -> "kv expiry cleanup deleted " + deleted + " entries");
        }
    }
}

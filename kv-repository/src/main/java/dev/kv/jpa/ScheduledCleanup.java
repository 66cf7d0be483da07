package dev.kv.jpa;

import dev.kv.KvStore;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a store's {@code cleanupExpired()} at a fixed delay on a daemon thread of its own. A failed
 * run is logged and the next one runs on schedule: a database that is down for a while must not
 * stop cleanup for good.
 */
final class ScheduledCleanup implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ScheduledCleanup.class.getName());

    private final ScheduledExecutorService scheduler;
    private volatile Thread worker;

    ScheduledCleanup(KvStore store, Duration interval) {
        String name =
                "kv-cleanup-" + store.config().schema() + "." + store.config().table();
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            worker = thread;
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> run(store), millis, millis, TimeUnit.MILLISECONDS);
    }

    private static void run(KvStore store) {
        try {
            long deleted = store.cleanupExpired();
            if (deleted > 0) {
                LOG.log(
                        Level.DEBUG,
                        "deleted {0} expired entries from {1}",
                        deleted,
                        store.config().table());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "expiry cleanup of " + store.config().table() + " failed; retrying on schedule", e);
        }
    }

    /** Stops the schedule and waits for its thread to end, so a closed store leaves no thread behind. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            Thread thread = worker;
            if (thread != null) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

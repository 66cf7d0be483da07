package dev.kv.memory;

import dev.kv.CleanupStrategy;
import dev.kv.EncryptedKvStore;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens in-memory stores.
 *
 * <pre>{@code
 * try (MemoryKvStore store = MemoryKvStores.open(KvConfig.defaults(), MemoryOptions.builder()
 *         .maxEntries(10_000)
 *         .build())) {
 *     store.set("user:1", "\"alice\"".getBytes(StandardCharsets.UTF_8));
 * }
 * }</pre>
 *
 * <p>A store with persistence loads its directory when opened: the newest snapshot, then the log
 * segments after it. A log that ends in a cut-short or damaged record is cut back to the last whole
 * record, with a warning; records are applied only whole. Closing the store stops its background
 * thread, forces the log, and (in SNAPSHOT mode) writes a last snapshot.
 */
public final class MemoryKvStores {

    private static final System.Logger LOG = System.getLogger(MemoryKvStores.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    private MemoryKvStores() {}

    /** An unbounded store without persistence, cleaned every minute unless {@code config} sets another interval. */
    public static MemoryKvStore open(KvConfig config) {
        return open(config, MemoryOptions.defaults());
    }

    /**
     * Opens a store; from {@code config} it uses the limits, the clock, the value format (JSONB
     * values are checked to be JSON, as on PostgreSQL, but kept byte for byte) and, when set, the
     * cleanup interval, which then overrides {@link MemoryOptions#cleanupInterval()}. With an {@link
     * KvConfig#encryptor() encryptor}, every value is encrypted before it is stored (and so in
     * snapshots and the log), as by {@link KvStore#encrypted}; closing the store closes it all.
     *
     * @throws KvException if the data directory cannot be read, is held by another store, or holds a
     *     damaged snapshot or a key that {@code config}'s limits refuse
     */
    public static MemoryKvStore open(KvConfig config, MemoryOptions options) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(options, "options must not be null");
        MemoryStore store = new MemoryStore(EncryptedKvStore.storeConfig(config), options);
        DataDirectory directory = null;
        try {
            if (options.persistence() != Persistence.NONE) {
                directory = DataDirectory.open(options.directory());
                Recovery.recover(
                        store.table(),
                        directory,
                        store.config().limits(),
                        options.persistence().logs());
            }
        } catch (KvValidationException refused) {
            closeQuietly(directory, refused);
            throw new KvException(
                    "the data in " + options.directory() + " holds a key this store's limits refuse: "
                            + refused.getMessage(),
                    refused);
        } catch (IOException | RuntimeException e) {
            closeQuietly(directory, e);
            throw e instanceof KvException kv
                    ? kv
                    : new KvException("could not open the store in " + options.directory() + ": " + e.getMessage(), e);
        }
        startBackgroundWork(store, options, directory);
        LOG.log(System.Logger.Level.DEBUG, "opened {0}", store);
        return encryptedIfConfigured(store, config);
    }

    /** {@code store} itself, or with {@link KvConfig#encryptor()} the encrypted view that owns it. */
    private static MemoryKvStore encryptedIfConfigured(MemoryStore store, KvConfig config) {
        KvStore view = EncryptedKvStore.configured(store, config);
        return view == store ? store : new EncryptedMemoryKvStore(view, store);
    }

    private static void startBackgroundWork(MemoryStore store, MemoryOptions options, DataDirectory directory) {
        Duration cleanupInterval = store.config().cleanupInterval().orElse(options.cleanupInterval());
        boolean cleans = !cleanupInterval.isZero() && store.config().cleanupStrategy() != CleanupStrategy.DISABLED;
        boolean syncs = options.persistence().logs() && options.syncPolicy() == SyncPolicy.INTERVAL;
        boolean snapshots = options.persistence().snapshots();
        if (!cleans && !syncs && !snapshots) {
            store.onClose(() -> closeQuietly(directory, null));
            return;
        }
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "kv-memory-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        if (cleans) {
            long every = cleanupInterval.toNanos();
            background.scheduleWithFixedDelay(
                    guarded("clean up", store::cleanupExpired), every, every, TimeUnit.NANOSECONDS);
        }
        if (syncs) {
            long every = options.syncInterval().toNanos();
            background.scheduleWithFixedDelay(
                    guarded("sync the log", () -> store.table().log().sync()), every, every, TimeUnit.NANOSECONDS);
        }
        Checkpoints checkpoints = snapshots ? new Checkpoints(store.table(), directory) : null;
        if (snapshots) {
            long every = options.snapshotInterval().toNanos();
            background.scheduleWithFixedDelay(
                    guarded("write a snapshot", checkpoints::write), every, every, TimeUnit.NANOSECONDS);
        }
        store.onClose(() -> {
            // Not shutdownNow: interrupting a snapshot or a log sync would close their file channels.
            background.shutdown();
            try {
                if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "the background thread of {0} did not stop", store);
                }
                if (options.persistence() == Persistence.SNAPSHOT) {
                    checkpoints.write();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new KvException("could not write the last snapshot in " + options.directory(), e);
            } finally {
                closeQuietly(directory, null);
            }
        });
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }

    private static Runnable guarded(String what, Task task) {
        return () -> {
            try {
                task.run();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "could not " + what + "; will try again", e);
            }
        };
    }

    private static void closeQuietly(DataDirectory directory, Exception failure) {
        if (directory == null) {
            return;
        }
        try {
            directory.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.log(System.Logger.Level.WARNING, "could not release the lock of " + directory.path, e);
            }
        }
    }
}

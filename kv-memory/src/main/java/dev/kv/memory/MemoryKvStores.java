package dev.kv.memory;

import dev.kv.CleanupStrategy;
import dev.kv.EncryptedKvStore;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * segments after it. A newest segment that ends in an append a crash left unfinished (a record cut
 * short, or zeros where a record should be) is cut back to the last whole record, with a warning;
 * records are applied only whole. Any other damage (a record that fails its checksum, a damaged
 * older segment, a snapshot that does not read back) refuses the open with a {@link
 * CorruptDataException} naming the file and offset, and changes no file: {@link #repair} is the
 * explicit way on. Closing the store stops its background thread, forces the log, and (in SNAPSHOT
 * mode) writes a last snapshot.
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
     * @throws CorruptDataException if the data directory holds a damaged snapshot or log (see {@link #repair})
     * @throws KvException if the data directory cannot be read, is held by another store, or holds a
     *     key that {@code config}'s limits refuse
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

    /**
     * Makes a data directory that a store refused with {@link CorruptDataException} open again,
     * keeping everything that precedes the first damage and moving the rest aside, into files named
     * as the original plus {@code .damaged} (nothing is deleted): for a damaged segment, its bytes
     * from the damaged record on and every later segment; for a damaged newest snapshot, the
     * snapshot and every segment written after it. Writes after the damage are lost to the store:
     * the store opened afterwards holds the state as of the last write before it. Run it with no
     * store open on {@code directory}; on a directory without damage it changes nothing.
     *
     * @return the {@code .damaged} files written, empty if nothing was damaged
     * @throws KvException if the directory cannot be read or written, or a store has it open
     */
    public static List<Path> repair(Path directory) {
        Objects.requireNonNull(directory, "directory must not be null");
        try (DataDirectory data = DataDirectory.open(directory.toAbsolutePath())) {
            List<Path> aside = Recovery.repair(data);
            if (!aside.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "repaired {0}: moved aside {1}", directory, aside);
            }
            return aside;
        } catch (IOException e) {
            throw new KvException("could not repair " + directory + ": " + e.getMessage(), e);
        }
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
            // At a fixed rate, not delay: a snapshot starts an interval after the previous one started
            // (or at once when that one took longer), so the time between them does not add up.
            background.scheduleAtFixedRate(
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

package dev.kv.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.jpa.JpaKvStores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * Readers' latency while {@link KvStore#cleanupExpired()} deletes a large number of expired rows,
 * against the same load without cleanup. A plain Java harness rather than JMH, because the cleanup
 * is one long event that the readers' histogram has to span.
 *
 * <p>The table ({@code kv_cleanup}, logged) holds live keys and expired rows in both phases, so the
 * only difference is the cleaner at work. Workers do 80 % gets and 20 % 64-byte sets of random live
 * keys; only the gets go into the readers' histogram. The pool has one connection per worker plus
 * one for the cleaner, so no worker waits for a connection the cleaner holds.
 */
record CleanupLatency(BenchSettings settings, int workers, int expiredRows, Duration baseline) {

    static final String TABLE = "kv_cleanup";

    /** The pause between batches of the paced cleanup: the default {@link dev.kv.KvConfig#cleanupPause()}. */
    static final Duration PACED_PAUSE = KvConfig.DEFAULT_CLEANUP_PAUSE;

    /** One phase's readers' latency histogram, in microseconds, and what the server's backends did. */
    private record Phase(Histogram readers, double seconds, WaitEventSampler.Profile server) {}

    void run(BenchTables tables, Path result) throws IOException, InterruptedException {
        tables.refill(TABLE, false, settings.keyCount(), expiredRows);
        try (KvStoreOperations kv = Implementation.openKv(settings, TABLE, false, workers + 1)) {
            load(kv, Duration.ofSeconds(2), null);
            Phase without = load(kv, baseline, null);
            Cleanup flatOut = cleanup(kv, Duration.ZERO);
            tables.refill(TABLE, false, settings.keyCount(), expiredRows);
            load(kv, Duration.ofSeconds(2), null);
            Cleanup paced = cleanup(kv, PACED_PAUSE);
            write(result, without, flatOut, paced);
            System.out.printf(
                    "cleanup: %d rows in %.1f s, paced %d rows in %.1f s; readers' p99 %d us without, %d us during"
                            + " cleanup, %d us during the paced cleanup%n",
                    flatOut.deleted(),
                    flatOut.phase().seconds(),
                    paced.deleted(),
                    paced.phase().seconds(),
                    without.readers().getValueAtPercentile(99),
                    flatOut.phase().readers().getValueAtPercentile(99),
                    paced.phase().readers().getValueAtPercentile(99));
            System.out.println("server samples without cleanup: " + without.server());
            System.out.println(
                    "server samples during cleanup:  " + flatOut.phase().server());
            System.out.println(
                    "server samples during paced cleanup:  " + paced.phase().server());
        }
    }

    /** One cleanup under load: what it deleted and the readers' phase it spanned. */
    private record Cleanup(long deleted, Phase phase) {}

    /** Runs the workers on {@code kv} while a store of its own, pausing {@code pause} between batches, cleans up. */
    private Cleanup cleanup(KvStoreOperations kv, Duration pause) throws InterruptedException {
        try (HikariDataSource pool = BenchDatabase.newPool(settings, "kv-cleanup", 1);
                KvStore cleaner = JpaKvStores.open(
                        pool,
                        BenchTables.config(TABLE, false).toBuilder()
                                .cleanupPause(pause)
                                .build())) {
            long[] deleted = new long[1];
            Phase phase = load(kv, null, () -> deleted[0] = cleaner.cleanupExpired());
            return new Cleanup(deleted[0], phase);
        }
    }

    /** Runs the workers for {@code duration}, or while {@code cleaner} runs when it is given. */
    private Phase load(KvStoreOperations kv, Duration duration, Runnable cleaner) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(workers);
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < workers; w++) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            histograms.add(histogram);
            SplittableRandom random = new SplittableRandom(1000 + w);
            byte[] value = new byte[64];
            random.nextBytes(value);
            Thread thread = new Thread(
                    () -> {
                        started.countDown();
                        try {
                            while (!stop.get()) {
                                String key = BenchKeys.key(random.nextInt(settings.keyCount()));
                                if (random.nextInt(5) == 0) {
                                    kv.set(key, value);
                                } else {
                                    long t0 = System.nanoTime();
                                    kv.get(key);
                                    histogram.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                                }
                            }
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    },
                    "cleanup-worker-" + w);
            threads.add(thread);
            thread.start();
        }
        started.await();
        WaitEventSampler sampler = new WaitEventSampler(settings);
        long start = System.nanoTime();
        if (cleaner == null) {
            Thread.sleep(duration.toMillis());
        } else {
            cleaner.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        WaitEventSampler.Profile server = sampler.stop();
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a worker failed", failures.get(0));
        }
        Histogram all = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        histograms.forEach(all::add);
        return new Phase(all, seconds, server);
    }

    private void write(Path result, Phase without, Cleanup flatOut, Cleanup paced) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("harness", "CleanupLatency (plain Java, HdrHistogram)");
        root.put("workers", workers);
        root.put("liveKeys", settings.keyCount());
        root.put("expiredRows", expiredRows);
        root.put("deletedRows", flatOut.deleted());
        root.put("cleanupSeconds", flatOut.phase().seconds());
        root.put("pacedDeletedRows", paced.deleted());
        root.put("pacedCleanupSeconds", paced.phase().seconds());
        root.put("pacedPauseMillis", PACED_PAUSE.toMillis());
        root.set("withoutCleanup", phase(json, without));
        root.set("duringCleanup", phase(json, flatOut.phase()));
        root.set("duringPacedCleanup", phase(json, paced.phase()));
        json.writerWithDefaultPrettyPrinter().writeValue(result.toFile(), root);
    }

    private static ObjectNode phase(ObjectMapper json, Phase phase) {
        Histogram h = phase.readers();
        ObjectNode node = json.createObjectNode();
        node.put("seconds", phase.seconds());
        node.put("reads", h.getTotalCount());
        node.put("readsPerSecond", h.getTotalCount() / phase.seconds());
        node.put("p50Micros", h.getValueAtPercentile(50));
        node.put("p99Micros", h.getValueAtPercentile(99));
        node.put("p999Micros", h.getValueAtPercentile(99.9));
        node.put("maxMicros", h.getMaxValue());
        ObjectNode server = node.putObject("serverSamples");
        server.put("ticks", phase.server().ticks());
        phase.server().backends().forEach((backends, states) -> {
            ObjectNode counts = server.putObject(backends);
            states.forEach(counts::put);
        });
        return node;
    }
}

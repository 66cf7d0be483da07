package dev.kv.tests;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvDatabaseException;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks the promise that multi-row writes cannot deadlock: four threads run every kind of them
 * ({@code setMany}, {@code apply} with puts and deletes and with patches and deletions by selection,
 * {@code deleteMany}, {@code deletePrefix} with and without a limit, {@code deleteRange}, {@code delete} by
 * glob, {@code cleanupExpired}) over the same keys, two of them in ascending and two in descending order,
 * on one store and on two stores with their own pools and EntityManagerFactories.
 * No call may fail with a deadlock (SQLSTATE 40P01), and the server may count none.
 */
class PostgresBatchDeadlockTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 300;
    private static final int KEYS = 24;

    private static PostgresTables tables;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "batch_deadlock",
                KvConfig.builder().format(ValueFormat.JSONB).changeStream(true).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    @BeforeEach
    void empty() {
        tables.deleteAllEntries();
    }

    @Test
    void batchesOfEveryKindOnOneStoreNeverDeadlock() throws Exception {
        assertNoDeadlocks(1);
    }

    @Test
    void batchesOfEveryKindOnTwoStoresNeverDeadlock() throws Exception {
        assertNoDeadlocks(2);
    }

    private void assertNoDeadlocks(int storeCount) throws Exception {
        long serverDeadlocksBefore = serverDeadlocks();
        List<HikariDataSource> pools = new ArrayList<>();
        List<KvStore> stores = new ArrayList<>();
        List<KvStore> cleaners = new ArrayList<>();
        Outcomes outcomes = new Outcomes();
        try {
            for (int i = 0; i < storeCount; i++) {
                HikariDataSource pool = TestDatabase.get().newPool("deadlock-" + i, THREADS);
                pools.add(pool);
                stores.add(
                        JpaKvStores.open(pool, tables.apply(KvConfig.builder()).build()));
                // Two hours ahead, this store's cleanup finds the one-hour entries of the others expired.
                cleaners.add(JpaKvStores.open(
                        pool,
                        tables.apply(KvConfig.builder())
                                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)))
                                .build()));
            }
            long started = System.nanoTime();
            runThreads(thread -> () -> {
                KvStore store = stores.get(thread % storeCount);
                KvStore cleaner = cleaners.get(thread % storeCount);
                List<String> keys = keys(thread % 2 == 0);
                for (int call = 0; call < CALLS_PER_THREAD; call++) {
                    int n = call;
                    BatchKind kind = BatchKind.values()[(call + thread) % BatchKind.values().length];
                    outcomes.record(() -> kind.run(store, cleaner, keys, n));
                }
                return null;
            });
            System.out.printf(
                    "%d stores, %d threads, %d calls: %d deadlock errors, %d other errors, %d ms%n",
                    storeCount,
                    THREADS,
                    outcomes.calls.get(),
                    outcomes.deadlocks.get(),
                    outcomes.others.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            stores.forEach(KvStore::close);
            cleaners.forEach(KvStore::close);
            pools.forEach(HikariDataSource::close);
        }
        long serverDeadlocks = serverDeadlocksSettled(serverDeadlocksBefore);
        System.out.printf("server-counted deadlocks: %d%n", serverDeadlocks - serverDeadlocksBefore);
        assertThat(outcomes.calls.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
        assertThat(outcomes.others).isEmpty();
        assertThat(outcomes.deadlocks.get())
                .as("calls failed with SQLSTATE 40P01")
                .isZero();
        assertThat(serverDeadlocks - serverDeadlocksBefore)
                .as("pg_stat_database.deadlocks")
                .isZero();
    }

    /** The multi-row writes, each over the shared keys in the order its thread was given. */
    private enum BatchKind {
        SET_MANY {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                Map<String, byte[]> entries = new LinkedHashMap<>();
                keys.forEach(key -> entries.put(key, v("set")));
                store.setMany(entries);
            }
        },
        SET_MANY_WITH_TTL {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                Map<String, byte[]> entries = new LinkedHashMap<>();
                keys.stream().filter(key -> key.hashCode() % 2 == 0).forEach(key -> entries.put(key, v("1")));
                store.setMany(entries, Duration.ofHours(1));
            }
        },
        APPLY {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                List<Mutation> batch = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    batch.add(
                            (i + call) % 3 == 0
                                    ? Mutation.delete(keys.get(i))
                                    : Mutation.put(keys.get(i), v("applied")));
                }
                store.apply(batch);
            }
        },
        APPLY_WITH_PATCHES_AND_SELECTIONS {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                List<Mutation> batch = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    String key = keys.get(i);
                    batch.add(
                            switch ((i + call) % 4) {
                                case 0 -> Mutation.delete(key);
                                case 1 -> Mutation.patch(key, v("patched"));
                                default -> Mutation.put(key, v("applied"), Duration.ofHours(1));
                            });
                }
                batch.add(Mutation.deletePrefix("dl:1"));
                batch.add(Mutation.delete(ScanOptions.range("dl:05", "dl:12").limit(4)));
                store.apply(batch);
            }
        },
        APPLY_DELETES_ONLY {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                List<Mutation> batch = new ArrayList<>();
                keys.subList(call % 3, keys.size()).forEach(key -> batch.add(Mutation.delete(key)));
                batch.add(Mutation.delete(ScanOptions.prefix("dl:").descending().limit(3)));
                store.apply(batch);
            }
        },
        DELETE_MANY {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                store.deleteMany(keys.subList(0, keys.size() / 2 + call % 5));
            }
        },
        DELETE_PREFIX {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                if (call % 2 == 0) {
                    store.deletePrefix("dl:" + call % 3);
                } else {
                    store.deletePrefix("dl:", 7);
                }
            }
        },
        DELETE_RANGE {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                store.deleteRange("dl:05", "dl:17");
            }
        },
        DELETE_GLOB {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                store.delete(ScanOptions.glob("dl:?[02468]"));
            }
        },
        CLEANUP {
            @Override
            void run(KvStore store, KvStore cleaner, List<String> keys, int call) {
                cleaner.cleanupExpired();
            }
        };

        abstract void run(KvStore store, KvStore cleaner, List<String> keys, int call);
    }

    /** The shared keys, {@code dl:00} to {@code dl:23}, ascending or descending. */
    private static List<String> keys(boolean ascending) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys.add("dl:%02d".formatted(i));
        }
        if (!ascending) {
            Collections.reverse(keys);
        }
        return keys;
    }

    /** What the calls ended with: deadlocks counted, any other failure kept. */
    private static final class Outcomes {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger deadlocks = new AtomicInteger();
        final List<Throwable> others = Collections.synchronizedList(new ArrayList<>());

        void record(Runnable call) {
            calls.incrementAndGet();
            try {
                call.run();
            } catch (KvDatabaseException e) {
                if ("40P01".equals(e.sqlState())) {
                    deadlocks.incrementAndGet();
                } else {
                    others.add(e);
                }
            } catch (RuntimeException e) {
                others.add(e);
            }
        }
    }

    private static void runThreads(IntFunction<java.util.concurrent.Callable<Void>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(work.apply(t)));
            }
            for (Future<Void> future : done) {
                future.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long serverDeadlocks() {
        return Long.parseLong(PostgresQueries.column(
                        tables.pool, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
                .get(0));
    }

    /**
     * The server's count once the closed pools' backends have flushed their statistics, which they do
     * as they exit: read until it has stayed the same for a second.
     */
    private static long serverDeadlocksSettled(long before) throws InterruptedException {
        long last = serverDeadlocks();
        for (int stable = 0; stable < 4; ) {
            Thread.sleep(250);
            long now = serverDeadlocks();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}

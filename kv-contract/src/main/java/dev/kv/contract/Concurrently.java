package dev.kv.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs work on several threads released together by one latch; a thread's failure is rethrown as the
 * {@link java.util.concurrent.ExecutionException} of its future.
 */
public final class Concurrently {

    private static final long TIMEOUT_SECONDS = 120;

    /** The work of thread {@code thread}, numbered from 0. */
    @FunctionalInterface
    public interface Task {
        void run(int thread) throws Exception;
    }

    /** The work of thread {@code thread}, numbered from 0, and its result. */
    @FunctionalInterface
    public interface Call<T> {
        T call(int thread) throws Exception;
    }

    private Concurrently() {}

    /** Runs {@code task} on {@code threads} threads at once and waits for them all. */
    public static void run(int threads, Task task) throws Exception {
        results(threads, thread -> {
            task.run(thread);
            return null;
        });
    }

    /** Runs {@code call} on {@code threads} threads at once and returns their results, in thread order. */
    public static <T> List<T> results(int threads, Call<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    return call.call(thread);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : done) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.Change;
import dev.kv.ChangeStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writer threads and one reader polling a change stream from its start while they write: the reader
 * fails unless every change it reads has the seq right after the previous one, i.e. no change ever
 * becomes visible behind one already read.
 */
final class StreamPolling {

    /** The {@code index}th write of writer {@code writer}. */
    @FunctionalInterface
    interface Write {
        void run(int writer, int index);
    }

    private StreamPolling() {}

    /** Runs the writes and returns every change the reader saw, in the order it saw them. */
    static List<Change> readWhileWriting(ChangeStream changes, int writers, int writesEach, Write write)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesEach; i++) {
                        write.run(writer, i);
                    }
                    return null;
                }));
            }
            Future<List<Change>> reader = pool.submit(() -> {
                start.await();
                List<Change> seen = new ArrayList<>();
                long position = 0;
                while (writing.get() || !changes.read(position, 1).isEmpty()) {
                    for (Change change : changes.read(position, 100)) {
                        assertThat(change.seq())
                                .as("the change after " + position)
                                .isEqualTo(position + 1);
                        position = change.seq();
                        seen.add(change);
                    }
                }
                return seen;
            });
            start.countDown();
            for (Future<?> writer : done) {
                writer.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            return reader.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}

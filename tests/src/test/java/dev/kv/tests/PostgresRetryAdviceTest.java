package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The retry advice of a failure is checked against what the table holds afterwards: while a store
 * runs increments, batches and updates, another connection terminates the store's server backends
 * ({@code pg_terminate_backend}) every 5 to 40 milliseconds, also while statements and commits are in
 * flight. A write that failed with {@code outcomeUnknown() == false} must have left nothing; a write
 * that may have applied must not be advertised as blindly retryable unless repeating it is harmless.
 */
class PostgresRetryAdviceTest {

    private static final String APPLICATION = "kv-retry-advice";
    private static final String TABLE = "retry_advice";
    private static final int MAX_ATTEMPTS = 6_000;
    private static final int ENOUGH_FAILURES = 60;
    private static final long MAX_SECONDS = 25;

    private record Failure(String operation, List<String> keys, boolean retryable, boolean outcomeUnknown) {}

    @Test
    void aWriteWhoseFailureSaysItDidNotApplyIsNeverInTheTable() throws Exception {
        KvConfig config = KvConfig.builder()
                .table(TABLE)
                .format(ValueFormat.BYTEA)
                .runMigrations(true)
                .applicationName(APPLICATION)
                .poolSize(2)
                .build();
        try (HikariDataSource admin = TestDatabase.get().newPool("retry-advice-admin", 2);
                KvStore store = JpaKvStores.open(
                        TestDatabase.get().jdbcUrl(),
                        TestDatabase.get().user(),
                        TestDatabase.get().password(),
                        config)) {
            TestDatabase.execute(admin, "TRUNCATE " + TABLE);
            List<Failure> failures = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread killer = new Thread(() -> terminateBackendsWhile(admin, writing), "backend-killer");
            killer.start();
            int attempts = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
            try {
                while (attempts < MAX_ATTEMPTS && failures.size() < ENOUGH_FAILURES && System.nanoTime() < deadline) {
                    attempts++;
                    Failure failure = attempt(store, attempts);
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
            } finally {
                writing.set(false);
                killer.join();
            }
            int unknown = 0;
            int unknownButApplied = 0;
            for (Failure failure : failures) {
                boolean applied = applied(admin, failure.keys());
                if (failure.outcomeUnknown()) {
                    unknown++;
                    unknownButApplied += applied ? 1 : 0;
                    boolean repeatable = failure.operation().equals("setMany");
                    assertThat(failure.retryable()).as(failure.toString()).isEqualTo(repeatable);
                } else {
                    assertThat(applied)
                            .as("%s failed saying it did not apply, yet it is in the table", failure)
                            .isFalse();
                }
            }
            System.out.printf(
                    "retry advice: %d attempts, %d failed, %d of them with an unknown outcome (%d of those applied)%n",
                    attempts, failures.size(), unknown, unknownButApplied);
            assertThat(failures)
                    .as("terminated backends must have failed some writes")
                    .isNotEmpty();
        }
    }

    /** One write of fresh keys, so that the table tells whether it applied; the failure, or null. */
    private static Failure attempt(KvStore store, int attempt) {
        String operation =
                switch (attempt % 3) {
                    case 0 -> "increment";
                    case 1 -> "setMany";
                    default -> "update";
                };
        List<String> keys = operation.equals("setMany")
                ? List.of("many-" + attempt + "-a", "many-" + attempt + "-b")
                : List.of(operation + "-" + attempt);
        try {
            switch (operation) {
                case "increment" -> store.increment(keys.get(0), 1);
                case "setMany" -> store.setMany(Map.of(keys.get(0), utf8("a"), keys.get(1), utf8("b")));
                default -> store.update(keys.get(0), current -> utf8("u"));
            }
            return null;
        } catch (KvException e) {
            return new Failure(operation, keys, e.retryable(), e.outcomeUnknown());
        }
    }

    private static void terminateBackendsWhile(HikariDataSource admin, AtomicBoolean writing) {
        SplittableRandom random = new SplittableRandom(7);
        while (writing.get()) {
            try {
                TestDatabase.execute(
                        admin,
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                                + APPLICATION + "'");
                Thread.sleep(random.nextInt(5, 40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean applied(HikariDataSource admin, List<String> keys) {
        String list = String.join("','", keys);
        return !PostgresQueries.column(admin, "SELECT key FROM " + TABLE + " WHERE key IN ('" + list + "')")
                .isEmpty();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.kv.tests;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.contract.MutableClock;
import dev.kv.jpa.JpaKvStores;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Java SE store configured with a cleanup interval removes expired rows by itself, until it is closed. */
class PostgresScheduledCleanupTest {

    private static PostgresTables tables;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "scheduled_cleanup",
                KvConfig.builder().format(ValueFormat.JSONB).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    private static long rows() {
        return Long.parseLong(PostgresQueries.column(tables.pool, "SELECT count(*) FROM scheduled_cleanup")
                .get(0));
    }

    private static boolean cleanerRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("kv-cleanup-public.scheduled_cleanup") && thread.isAlive());
    }

    @Test
    void expiredRowsDisappearWithoutAnyoneCallingCleanup() throws InterruptedException {
        MutableClock clock = new MutableClock(START);
        KvStore store = JpaKvStores.open(
                tables.pool,
                tables.apply(KvConfig.builder().clock(clock).cleanupInterval(Duration.ofMillis(50)))
                        .build());
        try {
            for (int i = 0; i < 20; i++) {
                store.set("session:" + i, v("s"), Duration.ofMinutes(1));
            }
            store.set("kept", v("k"));
            assertThat(cleanerRunning()).isTrue();
            clock.advance(Duration.ofMinutes(1));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rows() > 1 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertThat(rows()).isEqualTo(1);
        } finally {
            store.close();
        }
        assertThat(cleanerRunning()).isFalse();
    }

    @Test
    void anInterruptDuringThePauseBetweenBatchesEndsTheCleanupAfterTheBatchItWaitedAfter() {
        MutableClock clock = new MutableClock(START);
        KvStore store = JpaKvStores.open(
                tables.pool,
                tables.apply(KvConfig.builder().clock(clock).cleanupBatchSize(2).cleanupPause(Duration.ofMinutes(1)))
                        .build());
        try {
            for (int i = 0; i < 5; i++) {
                store.set("expiring:" + i, v("e"), Duration.ofMinutes(1));
            }
            clock.advance(Duration.ofMinutes(1));

            Thread.currentThread().interrupt();
            long deleted;
            try {
                deleted = store.cleanupExpired();
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
            }

            assertThat(deleted).isEqualTo(2);
            try (KvStore unpaused = JpaKvStores.open(
                    tables.pool, tables.apply(KvConfig.builder().clock(clock)).build())) {
                assertThat(unpaused.cleanupExpired()).isEqualTo(3);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void theIntervalIsChecked() {
        assertThatThrownBy(() -> KvConfig.builder().cleanupInterval(Duration.ofMillis(1)))
                .hasMessage("cleanupInterval must be at least 10ms, but was PT0.001S");
        assertThat(KvConfig.defaults().cleanupInterval()).isEmpty();
    }
}

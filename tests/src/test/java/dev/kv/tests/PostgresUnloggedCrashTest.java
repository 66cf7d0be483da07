package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.DataLossEvent;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.jpa.JpaKvStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Crashes a PostgreSQL server of its own ({@link ThrowawayPostgres}, {@code pg_ctl stop -m
 * immediate}) under a store on an UNLOGGED table: crash recovery empties the table, and the store
 * must say so (a {@link DataLossEvent} to {@link KvConfig#onDataLoss}) — the store that was open
 * across the crash at its next cleanup, a store opened afterwards when it opens — once per crash,
 * and never after a clean shutdown, which keeps UNLOGGED tables.
 */
class PostgresUnloggedCrashTest {

    private static final int KEYS = 1_000;

    private final List<DataLossEvent> losses = new CopyOnWriteArrayList<>();

    private KvConfig config() {
        return KvConfig.builder()
                .table("crash_unlogged")
                .unlogged(true)
                .runMigrations(true)
                .onDataLoss(losses::add)
                .build();
    }

    private static String url(ThrowawayPostgres server) {
        return "jdbc:postgresql://" + server.hostAndPort() + "/postgres?connectTimeout=2";
    }

    private static void writeKeys(KvStore store, String prefix) {
        for (int i = 0; i < KEYS; i++) {
            store.set(prefix + i, ("\"" + i + "\"").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The store's next cleanup, once its pool has replaced the connections the restart broke. */
    private static void cleanUpOnceReconnected(KvStore store) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                store.cleanupExpired();
                return;
            } catch (KvException brokenConnection) {
                if (System.nanoTime() > deadline) {
                    throw brokenConnection;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aCrashThatEmptiesTheTableIsReportedOnceByTheOpenStoreAndByAStoreOpenedAfterIt() throws Exception {
        try (ThrowawayPostgres server = ThrowawayPostgres.startPrimary("unlogged")) {
            try (KvStore store = JpaKvStores.open(url(server), "postgres", "", config())) {
                assertThat(losses).as("a table just created lost nothing").isEmpty();
                writeKeys(store, "a:");
                store.cleanupExpired();
                assertThat(losses).as("no crash yet").isEmpty();

                server.crash();
                server.start();
                cleanUpOnceReconnected(store);

                assertThat(losses).hasSize(1);
                DataLossEvent loss = losses.get(0);
                assertThat(loss.schema()).isEqualTo("public");
                assertThat(loss.table()).isEqualTo("crash_unlogged");
                assertThat(loss.reason()).contains("crash_unlogged_reset_marker");
                assertThat(store.count(ScanOptions.all()))
                        .as("what the report is about")
                        .isZero();
                store.cleanupExpired();
                assertThat(losses).as("one report per crash").hasSize(1);

                writeKeys(store, "b:");
            }

            server.crash();
            server.start();
            try (KvStore store = JpaKvStores.open(url(server), "postgres", "", config())) {
                assertThat(losses)
                        .as("found by the store opened after the second crash")
                        .hasSize(2);
                assertThat(store.count(ScanOptions.all())).isZero();
                writeKeys(store, "c:");
            }

            server.stop();
            server.start();
            try (KvStore store = JpaKvStores.open(url(server), "postgres", "", config())) {
                assertThat(store.count(ScanOptions.all()))
                        .as("a clean shutdown keeps the table")
                        .isEqualTo(KEYS);
                store.cleanupExpired();
                assertThat(losses).as("and is no data loss").hasSize(2);
            }
        }
    }
}

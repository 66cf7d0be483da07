package dev.kv.tests;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CleanupStrategy;
import dev.kv.Entry;
import dev.kv.Expiry;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Lease;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.ValueFormat;
import dev.kv.contract.MutableClock;
import dev.kv.jpa.JpaKvStores;
import dev.kv.testing.CountingDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counts the round trips to PostgreSQL of each operation — statements and commits, seen through a
 * counting DataSource — so that a regression (a find before a merge, a BEGIN/COMMIT around a
 * single statement) fails the build. Single-key operations cost one round trip, like raw JDBC in
 * autocommit, the atomic ones (compare-and-swap, getAndSet, getAndDelete, locks) included; update, which
 * runs the caller's function between its statements, costs three: lock, write, commit.
 */
class PostgresRoundTripTest {

    private static PostgresTables tables;
    private static final Map<String, Integer> MEASURED = new TreeMap<>();

    private final MutableClock clock = new MutableClock(START);
    private CountingDataSource counting;
    private KvStore store;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "round_trips", KvConfig.builder().format(ValueFormat.JSONB).build());
    }

    @AfterAll
    static void printAndDropPool() {
        System.out.println("Round trips per operation: " + MEASURED);
        tables.close();
    }

    @BeforeEach
    void openStore() {
        tables.deleteAllEntries();
        counting = new CountingDataSource(tables.pool);
        store = JpaKvStores.open(
                counting, tables.apply(KvConfig.builder().clock(clock)).build());
        store.set("present", v("a"), Duration.ofMinutes(1));
        store.set("persistent", v("b"));
        store.set("versioned", v("c"));
        store.set("swapped", v("c"));
        store.set("doomed", v("c"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Another store on the counting DataSource, for settings the shared one lacks. */
    private KvStore openCounted(KvConfig.Builder settings) {
        return JpaKvStores.open(counting, tables.apply(settings).build());
    }

    private List<String> roundTripsOf(String operation, Runnable call) {
        counting.reset();
        call.run();
        List<String> roundTrips = counting.roundTrips();
        MEASURED.put(operation, roundTrips.size());
        return roundTrips;
    }

    @Test
    void aReadOfAnIdleEntryWritesOnlyWhenLessThanHalfItsIdlePeriodIsLeft() {
        store.set("idle", v("i"), Expiry.idle(Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(5));
        assertThat(roundTripsOf("get (idle, no refresh)", () -> store.get("idle")))
                .singleElement()
                .satisfies(sql -> assertThat(sql).startsWith("SELECT"));
        assertThat(roundTripsOf("getEntry (idle, no refresh)", () -> store.getEntry("idle")))
                .hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        List<String> refresh = roundTripsOf("get (idle, refresh)", () -> store.get("idle"));
        assertThat(refresh).hasSize(2);
        assertThat(refresh.get(0)).startsWith("SELECT");
        assertThat(refresh.get(1)).startsWith("UPDATE").contains("SET expires_at = ?");
        assertThat(roundTripsOf("get (idle, just refreshed)", () -> store.get("idle")))
                .hasSize(1);
        clock.advance(Duration.ofMinutes(6));
        assertThat(roundTripsOf("getEntry (idle, refresh)", () -> store.getEntry("idle")))
                .hasSize(2);
    }

    @Test
    void aStreamReadsOneStatementPerPageHoldingOnePageAtATime() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            entries.put("stream:%04d".formatted(i), v(Integer.toString(i)));
        }
        store.setMany(entries);
        for (int pageSize : List.of(100, 250, 1_000)) {
            List<String> roundTrips = roundTripsOf("stream 1000 entries, pages of " + pageSize, () -> {
                try (Stream<Entry> stream = store.stream(ScanOptions.prefix("stream:"), pageSize)) {
                    assertThat(stream.count()).isEqualTo(1_000);
                }
            });
            int fullPages = 1_000 / pageSize;
            assertThat(roundTrips)
                    .as("pages of %d: %d full pages and the short one that ends the stream", pageSize, fullPages)
                    .hasSize(fullPages + 1)
                    .allSatisfy(sql -> assertThat(sql).startsWith("SELECT").contains("LIMIT"));
        }
        List<String> limited = roundTripsOf("stream with limit 250, pages of 100", () -> {
            try (Stream<Entry> stream =
                    store.stream(ScanOptions.prefix("stream:").limit(250), 100)) {
                assertThat(stream.count()).isEqualTo(250);
            }
        });
        assertThat(limited)
                .as("pages of 100, 100 and 50: the limit ends the stream")
                .hasSize(3);
    }

    @Test
    void everySingleKeyOperationIsOneStatementWithoutBeginOrCommit() {
        store.tryLock("lock:b", "me", Duration.ofSeconds(30));
        Lease held = store.tryLock("lock:c", "me", Duration.ofSeconds(30)).orElseThrow();
        Lease released = store.tryLock("lock:d", "me", Duration.ofSeconds(30)).orElseThrow();
        Map<String, Runnable> operations = new TreeMap<>();
        operations.put("get", () -> store.get("present"));
        operations.put("get (miss)", () -> store.get("missing"));
        operations.put("getEntry", () -> store.getEntry("present"));
        operations.put("exists", () -> store.exists("present"));
        operations.put("ttl", () -> store.ttl("present"));
        operations.put("set", () -> store.set("new", v("x")));
        operations.put("set with ttl", () -> store.set("new", v("y"), Duration.ofSeconds(5)));
        operations.put("setIfAbsent", () -> store.setIfAbsent("other", v("x")));
        operations.put("setIfAbsent (present)", () -> store.setIfAbsent("present", v("x"), Duration.ofSeconds(5)));
        operations.put("expire", () -> store.expire("present", Duration.ofMinutes(2)));
        operations.put("persist", () -> store.persist("present"));
        operations.put("delete", () -> store.delete("persistent"));
        operations.put("keys", () -> store.keys("p"));
        operations.put("cleanupExpired (under one batch)", store::cleanupExpired);
        operations.put("increment", () -> store.increment("counter", 5));
        operations.put(
                "scan (prefix, descending, page)",
                () -> store.scan(ScanOptions.prefix("p").descending().limit(10)));
        operations.put(
                "keys (range, cursor)",
                () -> store.keys(ScanOptions.range("a", "z").after("present").limit(10)));
        operations.put("count", () -> store.count(ScanOptions.prefix("p")));
        operations.put("deletePrefix", () -> store.deletePrefix("nothing"));
        operations.put("setIfVersion", () -> store.setIfVersion("versioned", v("d"), 1));
        operations.put("setIfVersion (absent)", () -> store.setIfVersion("brand-new", v("c"), KvStore.ABSENT));
        operations.put("compareAndSwap", () -> store.compareAndSwap("swapped", v("c"), v("d")));
        operations.put("compareAndSwap (mismatch)", () -> store.compareAndSwap("present", v("zz"), v("d")));
        operations.put("compareAndSwap (absent expected)", () -> store.compareAndSwap("cas-new", null, v("d")));
        operations.put(
                "compareAndSwap with ttl",
                () -> store.compareAndSwap("persistent", v("b"), v("e"), Duration.ofSeconds(9)));
        operations.put("getAndSet", () -> store.getAndSet("present", v("f")));
        operations.put("getAndSet (absent)", () -> store.getAndSet("gas-new", v("f"), Duration.ofSeconds(9)));
        operations.put("getAndDelete", () -> store.getAndDelete("doomed"));
        operations.put("getAndDelete (absent)", () -> store.getAndDelete("missing"));
        operations.put("tryLock", () -> store.tryLock("lock:a", "me", Duration.ofSeconds(30)));
        operations.put("tryLock (held by another)", () -> store.tryLock("lock:b", "you", Duration.ofSeconds(30)));
        operations.put("lockStatus", () -> store.lockStatus("lock:b"));
        operations.put("renew", () -> store.renew(held, Duration.ofSeconds(60)));
        operations.put("unlock", () -> store.unlock(released));
        operations.forEach((operation, call) -> assertThat(roundTripsOf(operation, call))
                .as(operation)
                .hasSize(1)
                .noneMatch(sql -> sql.equals("COMMIT") || sql.startsWith("BEGIN")));
    }

    @Test
    void deleteIfVersionIsOneStatement() {
        assertThat(roundTripsOf("deleteIfVersion", () -> store.deleteIfVersion("versioned", 1)))
                .hasSize(1);
    }

    @Test
    void updateOfAnExistingKeyIsLockWriteCommit() {
        List<String> roundTrips = roundTripsOf("update", () -> store.update("present", current -> v("z")));
        assertThat(roundTrips).hasSize(3);
        assertThat(roundTrips.get(0)).endsWith("FOR UPDATE");
        assertThat(roundTrips.get(1)).startsWith("UPDATE");
        assertThat(roundTrips.get(2)).isEqualTo("COMMIT");
    }

    @Test
    void updateOfAnAbsentKeyIsLockInsertCommit() {
        List<String> roundTrips = roundTripsOf("update (absent key)", () -> store.update("fresh", current -> v("1")));
        assertThat(roundTrips).hasSize(3);
        assertThat(roundTrips.get(1)).contains("INSERT").contains("DO NOTHING");
        assertThat(roundTrips.get(2)).isEqualTo("COMMIT");
    }

    @Test
    void aFailingUpdateFunctionRollsBackAfterTheLock() {
        List<String> roundTrips =
                roundTripsOf("update (fn throws)", () -> assertThatThrownBy(() -> store.update("present", current -> {
                            throw new IllegalStateException("no");
                        }))
                        .isInstanceOf(IllegalStateException.class));
        assertThat(roundTrips).hasSize(2).last().isEqualTo("ROLLBACK");
    }

    @Test
    void cleanupIsOneStatementPerBatch() {
        try (KvStore batched = openCounted(KvConfig.builder().clock(clock).cleanupBatchSize(2))) {
            for (int i = 0; i < 5; i++) {
                batched.set("old:" + i, v("x"), Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofMinutes(5));
            assertThat(roundTripsOf("cleanupExpired (6 rows, batches of 2)", batched::cleanupExpired))
                    .hasSize(4);
        }
    }

    @Test
    void onReadAReadOfAnExpiredRowAddsOneDeleteAndHitsAndMissesStayOneStatement() {
        try (KvStore onRead = openCounted(KvConfig.builder().clock(clock).cleanupStrategy(CleanupStrategy.ON_READ))) {
            for (String key : List.of("expired:1", "expired:2", "expired:3", "expired:4")) {
                onRead.set(key, v("x"), Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofSeconds(1));
            assertThat(roundTripsOf("get (ON_READ, hit)", () -> onRead.get("present")))
                    .hasSize(1);
            assertThat(roundTripsOf("get (ON_READ, miss)", () -> onRead.get("missing")))
                    .hasSize(1);
            List<String> expired = roundTripsOf("get (ON_READ, expired)", () -> onRead.get("expired:1"));
            assertThat(expired).hasSize(2);
            assertThat(expired.get(1)).startsWith("DELETE").contains("expires_at <= ?");
            assertThat(roundTripsOf("exists (ON_READ, expired)", () -> onRead.exists("expired:2")))
                    .hasSize(2);
            assertThat(roundTripsOf(
                            "getMany (ON_READ, no expired row)", () -> onRead.getMany(List.of("present", "missing"))))
                    .hasSize(1);
            List<String> many = roundTripsOf(
                    "getMany (ON_READ, 2 expired rows)",
                    () -> onRead.getMany(List.of("expired:3", "present", "expired:4")));
            assertThat(many).hasSize(2);
            assertThat(many.get(1)).startsWith("DELETE").contains("= ANY (?)");
        }
    }

    @Test
    void disabledReadsAndCleanupStayOneStatement() {
        try (KvStore disabled =
                openCounted(KvConfig.builder().clock(clock).cleanupStrategy(CleanupStrategy.DISABLED))) {
            disabled.set("expired", v("x"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(roundTripsOf("get (DISABLED, expired)", () -> disabled.get("expired")))
                    .hasSize(1);
            assertThat(roundTripsOf("set (DISABLED, over expired)", () -> disabled.set("expired", v("y"))))
                    .hasSize(1);
            assertThat(roundTripsOf("increment (DISABLED)", () -> disabled.increment("counter", 1)))
                    .hasSize(1);
            assertThat(roundTripsOf("cleanupExpired (DISABLED)", disabled::cleanupExpired))
                    .hasSize(1);
        }
    }

    @Test
    void batchesAreAConstantNumberOfRoundTripsWhateverTheirSize() {
        for (int size : new int[] {10, 500}) {
            Map<String, byte[]> batch = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                batch.put("batch:" + i, v("value-" + i));
            }
            assertThat(roundTripsOf("setMany " + size, () -> store.setMany(batch)))
                    .hasSize(2)
                    .last()
                    .isEqualTo("COMMIT");
            assertThat(roundTripsOf("setMany with ttl " + size, () -> store.setMany(batch, Duration.ofMinutes(1))))
                    .hasSize(2);
            assertThat(roundTripsOf("getMany " + size, () -> assertThat(store.getMany(batch.keySet()))
                            .hasSize(size)))
                    .hasSize(1);
            assertThat(roundTripsOf("deleteMany " + size, () -> assertThat(store.deleteMany(batch.keySet()))
                            .isEqualTo(size)))
                    .hasSize(1);
            List<Mutation> mutations = new ArrayList<>();
            batch.forEach((key, value) ->
                    mutations.add(mutations.size() % 2 == 0 ? Mutation.put(key, value) : Mutation.delete(key)));
            assertThat(roundTripsOf("apply creating keys " + size, () -> store.apply(mutations)))
                    .as("lock the rows in key_hash order, inserting the absent keys; commit")
                    .hasSize(2)
                    .last()
                    .isEqualTo("COMMIT");
            assertThat(roundTripsOf("apply over live keys " + size, () -> store.apply(mutations)))
                    .as("lock (and insert), read the locked rows, rewrite and delete, commit")
                    .hasSize(4)
                    .last()
                    .isEqualTo("COMMIT");
            List<Mutation> rich = new ArrayList<>(mutations);
            rich.add(Mutation.put("batch:0", v("again")).ifVersion(3));
            rich.add(Mutation.patch("batch:2", v("patched")));
            rich.add(Mutation.deletePrefix("batch:1"));
            rich.add(Mutation.delete(ScanOptions.range("batch:3", "batch:5").limit(3)));
            assertThat(roundTripsOf("rich apply " + size, () -> store.apply(rich)))
                    .as("versioned puts, patches and deletions by selection cost no more")
                    .hasSize(4);
            List<Mutation> deletes = new ArrayList<>();
            batch.keySet().forEach(key -> deletes.add(Mutation.delete(key)));
            deletes.add(Mutation.deletePrefix("batch:"));
            assertThat(roundTripsOf("apply of deletes only " + size, () -> store.apply(deletes)))
                    .as("lock and read the rows, delete, commit")
                    .hasSize(3);
        }
    }

    @Test
    void refusedInputSendsNothing() {
        byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
        List<Runnable> refused = List.of(
                () -> store.set(null, v("a")),
                () -> store.set("", v("a")),
                () -> store.set("a\u0000", v("a")),
                () -> store.set("k".repeat(2000), v("a")),
                () -> store.set("k", null),
                () -> store.set("k", notJson),
                () -> store.set("k", "\"\\u0000\"".getBytes(StandardCharsets.UTF_8)),
                () -> store.setIfAbsent("k", notJson),
                () -> store.set("k", v("a"), Duration.ZERO),
                () -> store.expire("k", Duration.ofSeconds(-1)),
                () -> store.update("k", null),
                () -> store.keys((String) null),
                () -> store.setMany(Map.of("ok", v("a"), "", v("b"))),
                () -> store.getMany(java.util.Arrays.asList("a", null)),
                () -> store.increment("a\u0000"));
        for (Runnable call : refused) {
            assertThat(roundTripsOf("refused input", () -> assertThatThrownBy(call::run)
                            .isInstanceOf(KvValidationException.class)))
                    .isEmpty();
        }
    }
}

package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kv.Entry;
import dev.kv.Expiry;
import dev.kv.InvalidKeyException;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.Limits;
import dev.kv.ValueFormat;
import dev.kv.contract.MutableClock;
import dev.kv.memory.CorruptDataException;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import dev.kv.memory.SnapshotInfo;
import dev.kv.memory.SyncPolicy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a persistent in-memory store keeps across a restart, and how it recovers a damaged log. */
class MemoryPersistenceTest {

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private MemoryKvStore open(Persistence persistence) {
        return open(persistence, options -> {});
    }

    private MemoryKvStore open(Persistence persistence, Consumer<MemoryOptions.Builder> settings) {
        MemoryOptions.Builder options =
                MemoryOptions.builder().cleanupInterval(Duration.ZERO).persistence(persistence, directory);
        settings.accept(options);
        return MemoryKvStores.open(
                KvConfig.builder().clock(clock).format(ValueFormat.BYTEA).build(), options.build());
    }

    private static byte[] v(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(MemoryKvStore store, String key) {
        return store.get(key)
                .map(value -> new String(value, StandardCharsets.UTF_8))
                .orElse(null);
    }

    private List<Path> files(String glob) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file ->
                            file.getFileSystem().getPathMatcher("glob:" + glob).matches(file.getFileName()))
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Persistence.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void entriesAndTheirMetadataSurviveARestart(Persistence persistence) {
        Entry before;
        try (MemoryKvStore store = open(persistence)) {
            store.set("user:1", v("alice"));
            store.set("user:2", v("bob"), Duration.ofHours(1));
            store.set("user:3", v("carol"));
            clock.advance(Duration.ofSeconds(5));
            store.update("user:1", current -> v("alice2"));
            store.delete("user:3");
            before = store.getEntry("user:1").orElseThrow();
        }
        try (MemoryKvStore store = open(persistence)) {
            assertThat(store.keys("")).containsExactly("user:1", "user:2");
            assertThat(store.getEntry("user:1")).contains(before);
            assertThat(store.getEntry("user:1").orElseThrow().version()).isEqualTo(2);
            assertThat(store.ttl("user:2").remaining())
                    .contains(Duration.ofHours(1).minusSeconds(5));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Persistence.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void idleEntriesKeepTheirIdlePeriodAndLastRefreshAcrossARestart(Persistence persistence) {
        Duration idle = Duration.ofMinutes(10);
        try (MemoryKvStore store = open(persistence)) {
            store.set("session", v("s"), Expiry.idle(idle));
            store.set("fixed", v("f"), Duration.ofMinutes(10));
            clock.advance(Duration.ofMinutes(6));
            assertThat(text(store, "session")).isEqualTo("s");
            assertThat(store.ttl("session").remaining()).contains(idle);
        }
        clock.advance(Duration.ofMinutes(6));
        try (MemoryKvStore store = open(persistence)) {
            assertThat(store.keys(""))
                    .as("the fixed TTL ran out, the refreshed idle one did not")
                    .containsExactly("session");
            assertThat(text(store, "session")).isEqualTo("s");
            assertThat(store.ttl("session").remaining())
                    .as("still idle: the read refreshed it")
                    .contains(idle);
        }
    }

    @Test
    void aSnapshotKeepsIdleEntriesIdle() throws IOException {
        Path file = directory.resolve("idle.snapshot");
        try (MemoryKvStore store = open(Persistence.NONE)) {
            store.set("session", v("s"), Expiry.idle(Duration.ofMinutes(10)));
            store.set("plain", v("p"));
            store.snapshot(file);
        }
        try (MemoryKvStore store = open(Persistence.NONE)) {
            store.restore(file);
            clock.advance(Duration.ofMinutes(6));
            assertThat(text(store, "session")).isEqualTo("s");
            assertThat(store.ttl("session").remaining()).contains(Duration.ofMinutes(10));
            assertThat(text(store, "plain")).isEqualTo("p");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Persistence.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void entriesThatExpiredWhileClosedStayGone(Persistence persistence) {
        try (MemoryKvStore store = open(persistence)) {
            store.set("short", v("a"), Duration.ofSeconds(10));
            store.set("long", v("b"), Duration.ofHours(1));
        }
        clock.advance(Duration.ofMinutes(1));
        try (MemoryKvStore store = open(persistence)) {
            assertThat(store.keys("")).containsExactly("long");
            assertThat(store.stats().entryCount()).isEqualTo(1);
        }
    }

    @Test
    void aRolledBackTransactionStaysRolledBackAfterARestart() {
        try (MemoryKvStore store = open(Persistence.WAL)) {
            store.set("a", v("1"));
            IllegalStateException refused = new IllegalStateException("refused");
            assertThatThrownBy(() -> store.inTransaction(tx -> {
                        tx.set("a", v("2"));
                        tx.set("b", v("3"));
                        tx.delete("a");
                        throw refused;
                    }))
                    .isSameAs(refused);
            assertThat(store.keys("")).containsExactly("a");
        }
        try (MemoryKvStore store = open(Persistence.WAL)) {
            assertThat(store.keys("")).containsExactly("a");
            assertThat(text(store, "a")).isEqualTo("1");
        }
    }

    @Test
    void aLogHoldingAKeyTheLimitsNowRefuseIsNotOpened() {
        try (MemoryKvStore store = open(Persistence.WAL)) {
            store.set("k".repeat(100), v("1"));
        }
        MemoryOptions options = MemoryOptions.builder()
                .cleanupInterval(Duration.ZERO)
                .persistence(Persistence.WAL, directory)
                .build();
        KvConfig shortKeys = KvConfig.builder()
                .clock(clock)
                .format(ValueFormat.BYTEA)
                .limits(new Limits(64, Limits.DEFAULT_MAX_VALUE_BYTES))
                .build();
        assertThatThrownBy(() -> MemoryKvStores.open(shortKeys, options))
                .isInstanceOf(KvException.class)
                .hasMessage("the data in " + directory + " holds a key this store's limits refuse: key is 100"
                        + " bytes in UTF-8, more than the maximum of 64");
        try (MemoryKvStore store = open(Persistence.WAL)) {
            assertThat(store.exists("k".repeat(100))).isTrue();
        }
    }

    @Test
    void aSecondStoreCannotOpenTheSameDirectory() {
        try (MemoryKvStore store = open(Persistence.WAL)) {
            assertThatThrownBy(() -> open(Persistence.WAL))
                    .isInstanceOf(KvException.class)
                    .hasMessageContaining("another store has " + directory.toAbsolutePath() + " open");
        }
    }

    @Nested
    class DamagedLog {

        private Path writeThreeRecords() throws IOException {
            try (MemoryKvStore store = open(Persistence.WAL)) {
                store.set("a", v("1"));
                store.set("b", v("2"));
                store.set("c", v("3"));
            }
            List<Path> segments = files("wal-*.log");
            assertThat(segments).hasSize(1);
            return segments.get(0);
        }

        @Test
        void aCutShortLastRecordIsDroppedAndTheLogGoesOnAfterTheLastWholeOne() throws IOException {
            Path segment = writeThreeRecords();
            long size = Files.size(segment);
            try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
                file.setLength(size - 3);
            }
            try (MemoryKvStore store = open(Persistence.WAL)) {
                assertThat(store.keys("")).containsExactly("a", "b");
                store.set("d", v("4"));
            }
            try (MemoryKvStore store = open(Persistence.WAL)) {
                assertThat(store.keys("")).containsExactly("a", "b", "d");
            }
        }

        @Test
        void aWholeRecordWithAWrongChecksumIsNeverAppliedAndRefusesTheOpen() throws IOException {
            Path segment = writeThreeRecords();
            try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
                file.seek(file.length() - 1);
                int last = file.read();
                file.seek(file.length() - 1);
                file.write(last ^ 0x01);
            }
            assertThatThrownBy(() -> open(Persistence.WAL))
                    .isInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("fails its checksum");
            MemoryKvStores.repair(directory);
            try (MemoryKvStore store = open(Persistence.WAL)) {
                assertThat(store.keys("")).containsExactly("a", "b");
            }
        }

        @Test
        void garbageAfterTheLastRecordIsDropped() throws IOException {
            Path segment = writeThreeRecords();
            Files.write(segment, new byte[] {0, 0, 0, 9, 1, 2}, java.nio.file.StandardOpenOption.APPEND);
            try (MemoryKvStore store = open(Persistence.WAL)) {
                assertThat(store.keys("")).containsExactly("a", "b", "c");
            }
        }
    }

    @Test
    void snapshotModeWritesAGzipSnapshotOnCloseWithoutLeavingATemporaryFile() throws IOException {
        try (MemoryKvStore store = open(Persistence.SNAPSHOT)) {
            store.set("k", v("v"));
        }
        List<Path> snapshots = files("snapshot-*.kvs.gz");
        assertThat(snapshots).hasSize(1);
        byte[] header = Arrays.copyOf(Files.readAllBytes(snapshots.get(0)), 2);
        assertThat(header).containsExactly(0x1f, 0x8b);
        assertThat(files("*.tmp")).isEmpty();
        assertThat(files("wal-*")).isEmpty();
    }

    @Test
    void hybridSnapshotsLetTheOlderLogGo() throws IOException {
        try (MemoryKvStore store = open(Persistence.HYBRID, o -> o.snapshotInterval(Duration.ofMillis(50))
                .syncPolicy(SyncPolicy.OS))) {
            for (int i = 0; i < 100; i++) {
                store.set("before:" + i, v("x"));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !files("snapshot-*.kvs.gz").isEmpty()
                            && files("wal-*.log").stream()
                                    .noneMatch(file ->
                                            file.getFileName().toString().equals("wal-00000000000000000001.log")));
            store.set("after", v("y"));
            store.delete("before:0");
        }
        try (MemoryKvStore store = open(Persistence.HYBRID)) {
            assertThat(store.keys("before:")).hasSize(99);
            assertThat(text(store, "after")).isEqualTo("y");
        }
    }

    @Nested
    class OnDemand {

        @Test
        void aSnapshotRestoresIntoAnotherStore() {
            Path file = directory.resolve("saved/backup.kvs.gz");
            SnapshotInfo info;
            try (MemoryKvStore store =
                    MemoryKvStores.open(KvConfig.builder().clock(clock).build())) {
                store.set("a", v("\"1\""));
                store.set("b", v("\"2\""), Duration.ofMinutes(1));
                store.set("gone", v("\"3\""), Duration.ofSeconds(1));
                clock.advance(Duration.ofSeconds(1));
                info = store.snapshot(file);
            }
            assertThat(info.path()).isEqualTo(file.toAbsolutePath());
            assertThat(info.entryCount()).isEqualTo(2);
            assertThat(info.sizeBytes()).isEqualTo(file.toFile().length());
            try (MemoryKvStore store =
                    MemoryKvStores.open(KvConfig.builder().clock(clock).build())) {
                store.set("replaced", v("\"0\""));
                store.restore(file);
                assertThat(store.keys("")).containsExactly("a", "b");
                assertThat(store.ttl("b").remaining()).contains(Duration.ofSeconds(59));
            }
        }

        @Test
        void aRestoreIsLoggedAndSurvivesARestart() {
            Path file = directory.resolve("backup.kvs.gz");
            try (MemoryKvStore store =
                    MemoryKvStores.open(KvConfig.builder().clock(clock).build())) {
                store.set("restored", v("1"));
                store.snapshot(file);
            }
            try (MemoryKvStore store = open(Persistence.WAL)) {
                store.set("old", v("2"));
                store.restore(file);
            }
            try (MemoryKvStore store = open(Persistence.WAL)) {
                assertThat(store.keys("")).containsExactly("restored");
            }
        }

        @Test
        void aSnapshotWithAKeyThisStoresLimitsRefuseIsRefusedAndChangesNothing() {
            Path file = directory.resolve("backup.kvs.gz");
            String longKey = "k".repeat(100);
            try (MemoryKvStore store =
                    MemoryKvStores.open(KvConfig.builder().clock(clock).build())) {
                store.set(longKey, v("1"));
                store.snapshot(file);
            }
            KvConfig shortKeys = KvConfig.builder()
                    .clock(clock)
                    .limits(new Limits(64, Limits.DEFAULT_MAX_VALUE_BYTES))
                    .build();
            try (MemoryKvStore store = MemoryKvStores.open(shortKeys)) {
                store.set("kept", v("2"));
                assertThatThrownBy(() -> store.restore(file))
                        .isInstanceOf(InvalidKeyException.class)
                        .hasMessage("the snapshot " + file + " holds a key this store refuses: key is 100 bytes"
                                + " in UTF-8, more than the maximum of 64");
                assertThat(store.keys("")).containsExactly("kept");
            }
        }

        @Test
        void aDamagedSnapshotIsRefusedAndChangesNothing() throws IOException {
            Path file = directory.resolve("backup.kvs.gz");
            try (MemoryKvStore store =
                    MemoryKvStores.open(KvConfig.builder().clock(clock).build())) {
                for (int i = 0; i < 100; i++) {
                    store.set("k" + i, v("\"value " + i + "\""));
                }
                store.snapshot(file);
            }
            try (RandomAccessFile damaged = new RandomAccessFile(file.toFile(), "rw")) {
                damaged.setLength(damaged.length() - 10);
            }
            try (MemoryKvStore store =
                    MemoryKvStores.open(KvConfig.builder().clock(clock).build())) {
                store.set("kept", v("\"x\""));
                assertThatThrownBy(() -> store.restore(file))
                        .isInstanceOf(KvException.class)
                        .hasMessageStartingWith("could not read the snapshot " + file);
                assertThat(store.keys("")).containsExactly("kept");
            }
        }
    }
}

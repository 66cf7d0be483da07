package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.ValueFormat;
import dev.kv.memory.CorruptDataException;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages a memory store's write-ahead log and snapshots byte by byte. An append a crash left
 * unfinished at the end of the newest segment is cut off; any other damage refuses the open with a
 * {@link CorruptDataException} naming the file and the damaged record, and leaves every file as it
 * was; {@link MemoryKvStores#repair} then keeps what precedes the damage.
 *
 * <p>The test reads the segment format to find record boundaries: a record is a 4-byte length, a
 * 4-byte checksum of the length, a 4-byte checksum of the payload, and the payload.
 */
class MemoryLogCorruptionTest {

    private static final int HEADER = 12;
    private static final int RECORDS_PER_SEGMENT = 100;

    @TempDir
    Path directory;

    @TempDir
    Path scratch;

    /** A record of a segment: where it starts and how long its payload is. */
    private record Record(Path segment, long start, int length) {}

    private static MemoryKvStore open(Path directory, Persistence persistence) {
        return MemoryKvStores.open(
                KvConfig.builder().format(ValueFormat.BYTEA).build(),
                MemoryOptions.builder()
                        .cleanupInterval(Duration.ZERO)
                        .persistence(persistence, directory)
                        .build());
    }

    private static String value(int i) {
        return "{\"n\":" + i + ",\"text\":\"value " + i + "\"}";
    }

    private static String key(int i) {
        return "k%03d".formatted(i);
    }

    private static void write(Path directory, int from, int to, Map<String, String> acknowledged) {
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            for (int i = from; i < to; i++) {
                store.set(key(i), value(i).getBytes(StandardCharsets.UTF_8));
                acknowledged.put(key(i), value(i));
            }
        }
    }

    private static Path segment(Path directory, long number) {
        return directory.resolve("wal-%020d.log".formatted(number));
    }

    /**
     * 200 acknowledged writes in two segments: the first 100 in segment 1, the next 100 in segment
     * 2. A WAL store never starts a segment by itself (HYBRID does at each snapshot, deleting the
     * older ones once the snapshot is written), so segment 2 is written by a second store in another
     * directory: records hold whole states, so its log replayed after segment 1 is what one store
     * writing all 200 would have logged.
     */
    private Map<String, String> twoSegments() throws IOException {
        Map<String, String> acknowledged = new LinkedHashMap<>();
        write(directory, 0, RECORDS_PER_SEGMENT, acknowledged);
        write(scratch, RECORDS_PER_SEGMENT, 2 * RECORDS_PER_SEGMENT, acknowledged);
        Files.move(segment(scratch, 1), segment(directory, 2));
        return acknowledged;
    }

    private static List<Record> records(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Record> records = new ArrayList<>();
        while (bytes.remaining() > 0) {
            int start = bytes.position();
            int length = bytes.getInt();
            records.add(new Record(segment, start, length));
            bytes.position(start + HEADER + length);
        }
        return records;
    }

    private Map<String, byte[]> files() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private void assertUnchanged(Map<String, byte[]> before) throws IOException {
        Map<String, byte[]> after = files();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    }

    private void restore(Map<String, byte[]> files) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.toList()) {
                Files.delete(file);
            }
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(directory.resolve(file.getKey()), file.getValue());
        }
    }

    private static void flip(Path file, long position, int bit) throws IOException {
        try (RandomAccessFile damaged = new RandomAccessFile(file.toFile(), "rw")) {
            damaged.seek(position);
            int b = damaged.read();
            damaged.seek(position);
            damaged.write(b ^ (1 << bit));
        }
    }

    private static void assertHolds(MemoryKvStore store, Map<String, String> expected) {
        assertThat(store.keys("")).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, value) -> assertThat(store.get(key)).as(key).hasValueSatisfying(bytes -> assertThat(
                        new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo(value)));
    }

    private static Map<String, String> firstN(Map<String, String> acknowledged, int n) {
        Map<String, String> prefix = new LinkedHashMap<>();
        acknowledged.entrySet().stream().limit(n).forEach(e -> prefix.put(e.getKey(), e.getValue()));
        return prefix;
    }

    @Test
    void aFlippedBitInAnyPartOfAnyRecordLosesNothingOrRefusesTheOpenAndChangesNoFile() throws IOException {
        Map<String, String> acknowledged = twoSegments();
        Map<String, byte[]> original = files();
        List<Record> records = new ArrayList<>(records(segment(directory, 1)));
        records.addAll(records(segment(directory, 2)));
        assertThat(records).hasSize(2 * RECORDS_PER_SEGMENT);
        int refused = 0;
        int recovered = 0;
        for (Record record : records) {
            long start = record.start();
            long[] positions = {
                start + 3, // length
                start + 5, // checksum of the length
                start + 9, // checksum of the payload
                start + HEADER, // the record's type
                start + HEADER + record.length() / 2, // inside the entry
                start + HEADER + record.length() - 1 // the value's last byte
            };
            for (int p = 0; p < positions.length; p++) {
                long position = positions[p];
                int bit = (int) ((position + p) % 8);
                flip(record.segment(), position, bit);
                Map<String, byte[]> damaged = files();
                try (MemoryKvStore store = open(directory, Persistence.WAL)) {
                    assertHolds(store, acknowledged);
                    recovered++;
                } catch (CorruptDataException e) {
                    assertThat(e.file()).isEqualTo(record.segment());
                    assertThat(e.offset()).as("byte %d bit %d", position, bit).isEqualTo(start);
                    assertThat(e.getMessage())
                            .contains(record.segment().toString())
                            .contains("at byte " + start);
                    assertUnchanged(damaged);
                    refused++;
                }
                restore(original);
            }
        }
        System.out.printf(
                "MemoryLogCorruptionTest: %d single-bit flips over %d records in 2 segments: %d refused, %d recovered everything%n",
                refused + recovered, records.size(), refused, recovered);
        assertThat(refused + recovered).isEqualTo(6 * records.size());
    }

    @Test
    void aLastRecordCutShortAtAnyByteIsDroppedAndEveryEarlierRecordKept() throws IOException {
        Map<String, String> acknowledged = twoSegments();
        Map<String, byte[]> original = files();
        Path newest = segment(directory, 2);
        List<Record> records = records(newest);
        Record last = records.get(records.size() - 1);
        long size = Files.size(newest);
        Map<String, String> earlier = firstN(acknowledged, acknowledged.size() - 1);
        for (long cut = last.start(); cut < size; cut++) {
            try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
                file.setLength(cut);
            }
            try (MemoryKvStore store = open(directory, Persistence.WAL)) {
                assertHolds(store, earlier);
            }
            assertThat(Files.size(newest)).as("cut at %d", cut).isEqualTo(last.start());
            restore(original);
        }
    }

    @Test
    void theLogGoesOnAfterACutShortRecordIsDropped() throws IOException {
        Map<String, String> acknowledged = twoSegments();
        Path newest = segment(directory, 2);
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
            file.setLength(file.length() - 5);
        }
        Map<String, String> expected = firstN(acknowledged, acknowledged.size() - 1);
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            store.set("after", "1".getBytes(StandardCharsets.UTF_8));
            expected.put("after", "1");
        }
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            assertHolds(store, expected);
        }
    }

    @Test
    void zerosWhereTheNextRecordShouldBeAreAnUnfinishedAppend() throws IOException {
        Map<String, String> acknowledged = twoSegments();
        Path newest = segment(directory, 2);
        long size = Files.size(newest);
        Files.write(newest, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            assertHolds(store, acknowledged);
        }
        assertThat(Files.size(newest)).isEqualTo(size);
    }

    @Test
    void aCutShortRecordInASegmentOlderThanTheNewestIsRefused() throws IOException {
        twoSegments();
        Path older = segment(directory, 1);
        List<Record> records = records(older);
        try (RandomAccessFile file = new RandomAccessFile(older.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }
        Map<String, byte[]> before = files();
        CorruptDataException refused =
                catchThrowableOfType(CorruptDataException.class, () -> open(directory, Persistence.WAL));
        assertThat(refused.file()).isEqualTo(older);
        assertThat(refused.offset()).isEqualTo(records.get(records.size() - 1).start());
        assertThat(refused).hasMessageContaining("older than the newest");
        assertUnchanged(before);
    }

    @Test
    void repairKeepsTheRecordsBeforeADamagedOneAndMovesTheRestOfTheSegmentAside() throws IOException {
        Map<String, String> acknowledged = twoSegments();
        Path newest = segment(directory, 2);
        Record damaged = records(newest).get(50);
        flip(newest, damaged.start() + HEADER + 4, 2);
        byte[] damagedTail =
                Arrays.copyOfRange(Files.readAllBytes(newest), (int) damaged.start(), (int) Files.size(newest));
        assertThatThrownBy(() -> open(directory, Persistence.WAL)).isInstanceOf(CorruptDataException.class);

        List<Path> aside = MemoryKvStores.repair(directory);

        Path tail = directory.resolve(newest.getFileName() + ".damaged");
        assertThat(aside).containsExactly(tail);
        assertThat(Files.readAllBytes(tail)).isEqualTo(damagedTail);
        assertThat(Files.size(newest)).isEqualTo(damaged.start());
        Map<String, String> prefix = firstN(acknowledged, RECORDS_PER_SEGMENT + 50);
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            assertHolds(store, prefix);
            store.set("after", "2".getBytes(StandardCharsets.UTF_8));
            prefix.put("after", "2");
        }
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            assertHolds(store, prefix);
        }
        assertThat(MemoryKvStores.repair(directory)).isEmpty();
    }

    @Test
    void repairOfADamagedOlderSegmentMovesEveryLaterSegmentAsideSoNoHoleIsLeft() throws IOException {
        Map<String, String> acknowledged = twoSegments();
        Path older = segment(directory, 1);
        Record damaged = records(older).get(10);
        flip(older, damaged.start() + 10, 0);
        byte[] newest = Files.readAllBytes(segment(directory, 2));
        CorruptDataException refused =
                catchThrowableOfType(CorruptDataException.class, () -> open(directory, Persistence.WAL));
        assertThat(refused.file()).isEqualTo(older);
        assertThat(refused.offset()).isEqualTo(damaged.start());

        List<Path> aside = MemoryKvStores.repair(directory);

        Path movedNewest = directory.resolve(segment(directory, 2).getFileName() + ".damaged");
        assertThat(aside).containsExactly(directory.resolve(older.getFileName() + ".damaged"), movedNewest);
        assertThat(Files.readAllBytes(movedNewest)).isEqualTo(newest);
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            assertHolds(store, firstN(acknowledged, 10));
        }
    }

    @Test
    void aDamagedSnapshotIsRefusedUnchangedAndRepairMovesItAside() throws IOException {
        try (MemoryKvStore store = open(directory, Persistence.SNAPSHOT)) {
            for (int i = 0; i < 50; i++) {
                store.set(key(i), value(i).getBytes(StandardCharsets.UTF_8));
            }
        }
        Path snapshot;
        try (Stream<Path> list = Files.list(directory)) {
            snapshot = list.filter(file -> file.getFileName().toString().startsWith("snapshot-"))
                    .findFirst()
                    .orElseThrow();
        }
        flip(snapshot, Files.size(snapshot) / 2, 3);
        Map<String, byte[]> before = files();
        CorruptDataException refused =
                catchThrowableOfType(CorruptDataException.class, () -> open(directory, Persistence.SNAPSHOT));
        assertThat(refused.file()).isEqualTo(snapshot);
        assertThat(refused.offset()).isEqualTo(-1);
        assertUnchanged(before);

        assertThat(MemoryKvStores.repair(directory))
                .containsExactly(directory.resolve(snapshot.getFileName() + ".damaged"));
        try (MemoryKvStore store = open(directory, Persistence.SNAPSHOT)) {
            assertThat(store.keys("")).isEmpty();
        }
    }

    @Test
    void repairRefusesADirectoryAStoreHasOpen() throws IOException {
        twoSegments();
        Map<String, byte[]> before = files();
        try (MemoryKvStore store = open(directory, Persistence.WAL)) {
            assertThatThrownBy(() -> MemoryKvStores.repair(directory))
                    .isInstanceOf(KvException.class)
                    .hasMessageContaining("another store has");
        }
        assertUnchanged(before);
    }
}

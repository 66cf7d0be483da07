package dev.kv.memory;

import dev.kv.Limits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a store's data directory when it opens: the newest snapshot, then the log segments after
 * it, whole records only. An append a crash left unfinished at the end of the newest segment is cut
 * off, with a warning; any other damage refuses the open with a {@link CorruptDataException} and
 * changes no file, until {@link #repair} moves it aside. Keys are checked against the store's
 * limits as a write's would be.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private Recovery() {}

    /**
     * Loads {@code directory} into {@code table}, drops what has expired and, if {@code logs}, starts
     * the log where the last segment's whole records end.
     *
     * @throws dev.kv.InvalidKeyException if a key is refused by {@code limits}
     * @throws CorruptDataException if a snapshot or segment is damaged other than by an unfinished append
     */
    static void recover(EntryTable table, DataDirectory directory, Limits limits, boolean logs) throws IOException {
        long first = 1;
        List<Long> snapshots = directory.snapshots();
        if (!snapshots.isEmpty()) {
            first = snapshots.get(snapshots.size() - 1);
            Path file = DataDirectory.snapshot(directory.path, first);
            SnapshotFile.Contents contents;
            try {
                contents = SnapshotFile.read(file);
            } catch (IOException e) {
                throw new CorruptDataException(file, -1, "the snapshot does not read back (" + e.getMessage() + ")");
            }
            contents.nodes().forEach(node -> load(table, limits, node));
        }
        List<Long> segments = segmentsFrom(directory, first);
        long validBytes = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path file = DataDirectory.segment(directory.path, segments.get(i));
            WriteAheadLog.Scan scan = WriteAheadLog.replay(file, (key, node) -> {
                if (node == null) {
                    table.unload(key);
                } else {
                    load(table, limits, node);
                }
            });
            boolean newest = i == segments.size() - 1;
            if (scan.damage() == WriteAheadLog.Damage.CORRUPT
                    || (scan.damage() == WriteAheadLog.Damage.TORN && !newest)) {
                throw new CorruptDataException(
                        file,
                        scan.validBytes(),
                        scan.reason() + (newest ? "" : ", in a segment older than the newest"));
            }
            if (scan.damage() == WriteAheadLog.Damage.TORN) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0} ends in an append a crash left unfinished ({1}): dropped its last {2} of {3} bytes",
                        file,
                        scan.reason(),
                        scan.size() - scan.validBytes(),
                        scan.size());
            }
            validBytes = scan.validBytes();
        }
        table.dropExpired();
        if (logs) {
            long last = segments.isEmpty() ? first : segments.get(segments.size() - 1);
            table.startLogging(WriteAheadLog.open(directory.path, last, segments.isEmpty() ? 0 : validBytes));
        }
    }

    /**
     * Keeps what precedes the first damage in {@code directory} and moves the rest aside, into files
     * named as the original plus {@code .damaged}: for a damaged newest snapshot, the snapshot and
     * every segment written after it (an older snapshot, if a crash left one, is what remains); for a
     * damaged segment, its bytes from the damaged record on (copied, then cut off) and every later
     * segment. Returns the files written aside, none if nothing was damaged.
     */
    static List<Path> repair(DataDirectory directory) throws IOException {
        List<Path> aside = new ArrayList<>();
        long first = 1;
        List<Long> snapshots = directory.snapshots();
        if (!snapshots.isEmpty()) {
            long newest = snapshots.get(snapshots.size() - 1);
            Path file = DataDirectory.snapshot(directory.path, newest);
            try {
                SnapshotFile.read(file);
                first = newest;
            } catch (IOException damaged) {
                aside.add(moveAside(file));
                for (long segment : segmentsFrom(directory, newest)) {
                    aside.add(moveAside(DataDirectory.segment(directory.path, segment)));
                }
                DataDirectory.force(directory.path);
                return aside;
            }
        }
        List<Long> segments = segmentsFrom(directory, first);
        for (int i = 0; i < segments.size(); i++) {
            Path file = DataDirectory.segment(directory.path, segments.get(i));
            WriteAheadLog.Scan scan = WriteAheadLog.replay(file, (key, node) -> {});
            if (scan.damage() == WriteAheadLog.Damage.NONE) {
                continue;
            }
            aside.add(copyTailAside(file, scan.validBytes()));
            for (long later : segments.subList(i + 1, segments.size())) {
                aside.add(moveAside(DataDirectory.segment(directory.path, later)));
            }
            DataDirectory.force(directory.path);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(scan.validBytes());
                channel.force(true);
            }
            return aside;
        }
        return aside;
    }

    private static List<Long> segmentsFrom(DataDirectory directory, long first) throws IOException {
        return directory.segments().stream().filter(segment -> segment >= first).toList();
    }

    private static Path copyTailAside(Path file, long from) throws IOException {
        Path target = asideName(file);
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel copy = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            long position = from;
            int read;
            while ((read = source.read(buffer.clear(), position)) > 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    copy.write(buffer);
                }
                position += read;
            }
            copy.force(true);
        }
        return target;
    }

    private static Path moveAside(Path file) throws IOException {
        return Files.move(file, asideName(file));
    }

    /** {@code <file>.damaged}, or {@code <file>.damaged.<n>} if an earlier repair took that name. */
    private static Path asideName(Path file) {
        Path target = file.resolveSibling(file.getFileName() + ".damaged");
        for (int n = 2; Files.exists(target); n++) {
            target = file.resolveSibling(file.getFileName() + ".damaged." + n);
        }
        return target;
    }

    /** Reads trust a key they find (see {@link MemoryStore}), so a loaded key is checked as a write's would be. */
    private static void load(EntryTable table, Limits limits, Node node) {
        limits.checkKey(node.key);
        table.load(node.key, node);
    }
}

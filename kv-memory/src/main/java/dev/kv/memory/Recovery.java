package dev.kv.memory;

import dev.kv.KvException;
import dev.kv.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a store's data directory when it opens: the newest snapshot, then the log segments after
 * it, whole records only (a log that ends in a cut-short or damaged record is cut back to the last
 * whole one, with a warning). Keys are checked against the store's limits as a write's would be.
 */
final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private Recovery() {}

    /**
     * Loads {@code directory} into {@code table}, drops what has expired and, if {@code logs}, starts
     * the log where the last segment's whole records end.
     *
     * @throws dev.kv.InvalidKeyException if a key is refused by {@code limits}
     */
    static void recover(EntryTable table, DataDirectory directory, Limits limits, boolean logs) throws IOException {
        List<Long> snapshots = directory.snapshots();
        long first = 1;
        if (!snapshots.isEmpty()) {
            long newest = snapshots.get(snapshots.size() - 1);
            Path file = DataDirectory.snapshot(directory.path, newest);
            SnapshotFile.Contents contents;
            try {
                contents = SnapshotFile.read(file);
            } catch (IOException e) {
                throw new KvException("the snapshot " + file + " is damaged: " + e.getMessage(), e);
            }
            contents.nodes().forEach(node -> load(table, limits, node));
            first = newest;
        }
        long last = first;
        long validBytes = 0;
        for (long segment : directory.segments()) {
            if (segment < first) {
                continue;
            }
            Path file = DataDirectory.segment(directory.path, segment);
            validBytes = WriteAheadLog.replay(file, (key, node) -> {
                if (node == null) {
                    table.unload(key);
                } else {
                    load(table, limits, node);
                }
            });
            long size = Files.size(file);
            if (validBytes < size) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0} ends in a cut-short or damaged record: dropped its last {1} of {2} bytes",
                        file,
                        size - validBytes,
                        size);
            }
            last = segment;
        }
        table.dropExpired();
        if (logs) {
            table.startLogging(WriteAheadLog.open(directory.path, last, validBytes));
        }
    }

    /** Reads trust a key they find (see {@link MemoryStore}), so a loaded key is checked as a write's would be. */
    private static void load(EntryTable table, Limits limits, Node node) {
        limits.checkKey(node.key);
        table.load(node.key, node);
    }
}

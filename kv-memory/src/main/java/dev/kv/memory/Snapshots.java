package dev.kv.memory;

import dev.kv.CapacityExceededException;
import dev.kv.InvalidKeyException;
import dev.kv.KvException;
import dev.kv.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The snapshots a caller takes and restores ({@link MemoryKvStore#snapshot}, {@link MemoryKvStore#restore}). */
final class Snapshots {

    private Snapshots() {}

    /** Writes the live entries of {@code table} to {@code file}; {@code takenAt} is when the call began. */
    static SnapshotInfo write(EntryTable table, Path file, Instant takenAt) {
        try {
            long count = SnapshotFile.write(file, 0, table.liveNodes());
            return new SnapshotInfo(file.toAbsolutePath(), count, Files.size(file), takenAt);
        } catch (IOException e) {
            throw new KvException("could not write the snapshot " + file, e);
        }
    }

    /**
     * Replaces every entry of {@code table} by the live entries of {@code file}, once the whole file
     * is read and every key and, under policy NONE, the bounds are checked; each replacement is a
     * write of the table, so logged and streamed.
     */
    static void restore(EntryTable table, Path file, Limits limits, MemoryOptions options) {
        SnapshotFile.Contents contents;
        try {
            contents = SnapshotFile.read(file);
        } catch (IOException e) {
            throw new KvException("could not read the snapshot " + file + ": " + e.getMessage(), e);
        }
        long now = table.expiryNow();
        List<Node> restored =
                contents.nodes().stream().filter(node -> node.liveAt(now)).toList();
        for (Node node : restored) {
            try {
                limits.checkKey(node.key);
            } catch (InvalidKeyException refused) {
                throw new InvalidKeyException(
                        "the snapshot " + file + " holds a key this store refuses: " + refused.getMessage());
            }
        }
        if (options.evictionPolicy() == EvictionPolicy.NONE) {
            long total = restored.stream().mapToLong(node -> node.value.length).sum();
            if (restored.size() > options.maxEntries()) {
                throw new CapacityExceededException(file.toString(), "maxEntries", options.maxEntries());
            }
            if (total > options.maxBytes()) {
                throw new CapacityExceededException(file.toString(), "maxBytes", options.maxBytes());
            }
        }
        for (String key : table.keys()) {
            table.mutate(key, now, new Write() {
                @Override
                Node rewrite(Node current, boolean live) {
                    return null;
                }
            });
        }
        for (Node node : restored) {
            table.mutate(node.key, now, new Write() {
                @Override
                Node rewrite(Node current, boolean live) {
                    return node;
                }
            });
        }
    }
}

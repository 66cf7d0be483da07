package dev.kv.memory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the periodic snapshots of a store. With a log (HYBRID), a snapshot starts a new log
 * segment first, at a moment no write is half done: the snapshot then holds every write of the
 * earlier segments, which are deleted once it is safely on disk.
 */
final class Checkpoints {

    private final EntryTable table;
    private final DataDirectory directory;
    private long number;

    Checkpoints(EntryTable table, DataDirectory directory) {
        this.table = table;
        this.directory = directory;
    }

    synchronized void write() throws IOException {
        WriteAheadLog log = table.log();
        long next;
        if (log != null) {
            next = table.exclusively(log::rotate);
        } else {
            next = Math.max(number, latest()) + 1;
        }
        Path file = DataDirectory.snapshot(directory.path, next);
        SnapshotFile.write(file, next, table.liveNodes());
        directory.deleteBefore(next);
        number = next;
    }

    private long latest() throws IOException {
        var snapshots = directory.snapshots();
        return snapshots.isEmpty() ? 0 : snapshots.get(snapshots.size() - 1);
    }
}

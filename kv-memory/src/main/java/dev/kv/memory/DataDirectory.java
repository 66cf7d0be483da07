package dev.kv.memory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a persistent store: log segments {@code wal-<n>.log}, snapshots {@code
 * snapshot-<n>.kvs.gz} (holding everything before segment n) and a lock file that keeps a second
 * store from opening the directory.
 */
final class DataDirectory implements Closeable {

    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.kvs\\.gz");

    final Path path;
    private final FileChannel lockFile;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockFile, FileLock lock) {
        this.path = path;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    static DataDirectory open(Path path) throws IOException {
        Files.createDirectories(path);
        FileChannel lockFile =
                FileChannel.open(path.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            lockFile.close();
            throw new IOException("another store has " + path + " open");
        }
        return new DataDirectory(path, lockFile, lock);
    }

    static Path segment(Path directory, long number) {
        return directory.resolve("wal-%020d.log".formatted(number));
    }

    static Path snapshot(Path directory, long number) {
        return directory.resolve("snapshot-%020d.kvs.gz".formatted(number));
    }

    /** Numbers of the log segments, ascending. */
    List<Long> segments() throws IOException {
        return numbers(SEGMENT);
    }

    /** Numbers of the snapshots, ascending. */
    List<Long> snapshots() throws IOException {
        return numbers(SNAPSHOT);
    }

    private List<Long> numbers(Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(file -> pattern.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(matcher -> Long.parseLong(matcher.group(1)))
                    .sorted()
                    .toList();
        }
    }

    /** Deletes the segments and snapshots that snapshot {@code number} makes unnecessary. */
    void deleteBefore(long number) throws IOException {
        for (long segment : segments()) {
            if (segment < number) {
                Files.deleteIfExists(segment(path, segment));
            }
        }
        for (long snapshot : snapshots()) {
            if (snapshot < number) {
                Files.deleteIfExists(snapshot(path, snapshot));
            }
        }
    }

    /** Makes renames and new files in {@code directory} durable. */
    static void force(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockFile.close();
        }
    }
}

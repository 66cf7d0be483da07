package dev.kv.memory;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A snapshot written by {@link MemoryKvStore#snapshot(Path)}.
 *
 * @param path the file
 * @param entryCount live entries it holds
 * @param sizeBytes size of the (compressed) file
 * @param takenAt when it was started, by the store's clock
 */
public record SnapshotInfo(Path path, long entryCount, long sizeBytes, Instant takenAt) {}

package dev.kv.memory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip-compressed snapshot: a header, the entries each behind a marker byte, an end marker and
 * the count. A file cut short or altered fails to read (gzip checks its CRC-32 and length at the end).
 */
final class SnapshotFile {

    private static final int MAGIC = 0x4B565331; // "KVS1"
    private static final int ENTRY = 1;
    /** An entry in {@link EntryCodec}'s idle form. */
    private static final int ENTRY_IDLE = 2;

    private static final int END = 0;
    private static final int MAX_FIELD_BYTES = 256 * 1024 * 1024;

    /** What a snapshot holds. */
    record Contents(long segment, List<Node> nodes) {}

    private SnapshotFile() {}

    /**
     * Writes {@code nodes} to a temporary file beside {@code target}, forces it to the disk and
     * renames it over {@code target}. Returns the number of entries written.
     */
    static long write(Path target, long segment, Iterable<Node> nodes) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = parent.resolve(target.getFileName() + ".tmp");
        long count = 0;
        try (FileOutputStream file = new FileOutputStream(temporary.toFile())) {
            GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16);
            DataOutputStream out = new DataOutputStream(gzip);
            out.writeInt(MAGIC);
            out.writeLong(segment);
            for (Node node : nodes) {
                out.writeByte(EntryCodec.idle(node) ? ENTRY_IDLE : ENTRY);
                EntryCodec.write(out, node);
                count++;
            }
            out.writeByte(END);
            out.writeLong(count);
            gzip.finish();
            out.flush();
            file.getFD().sync();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DataDirectory.force(parent);
        return count;
    }

    /**
     * Reads a whole snapshot.
     *
     * @throws IOException if it cannot be read, or is cut short or damaged
     */
    static Contents read(Path file) throws IOException {
        try (InputStream stream = Files.newInputStream(file);
                DataInputStream in =
                        new DataInputStream(new GZIPInputStream(new BufferedInputStream(stream, 1 << 16), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a kv snapshot");
            }
            long segment = in.readLong();
            List<Node> nodes = new ArrayList<>();
            int marker;
            while ((marker = in.readByte()) == ENTRY || marker == ENTRY_IDLE) {
                nodes.add(EntryCodec.read(in, MAX_FIELD_BYTES, marker == ENTRY_IDLE));
            }
            if (marker != END || in.readLong() != nodes.size()) {
                throw new IOException("the entry count does not match");
            }
            if (in.read() != -1) {
                throw new IOException("data after the end");
            }
            return new Contents(segment, nodes);
        }
    }
}

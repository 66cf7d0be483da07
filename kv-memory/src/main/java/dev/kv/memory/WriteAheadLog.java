package dev.kv.memory;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The append-only log of writes, in segments {@code wal-<number>.log}. A record is the payload's
 * length, its CRC-32C, and the payload: a PUT with the entry's whole new state, or a DELETE. Records
 * hold states rather than operations so that replaying one twice, or over a snapshot that already
 * has it, changes nothing.
 */
final class WriteAheadLog implements Closeable {

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    /** A put of an idle entry: {@link #PUT}'s record with the idle period after it (see {@link EntryCodec}). */
    private static final byte PUT_IDLE = 3;

    private static final int HEADER_BYTES = 2 * Integer.BYTES;
    private static final int MAX_PAYLOAD_BYTES = 1 + 2 * Integer.BYTES + 5 * Long.BYTES + 4 * 1024 + 256 * 1024 * 1024;

    private final Path directory;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private FileChannel channel;
    private long segment;
    /** Bytes appended since the log was opened, over all segments: the position a write waits for. */
    private volatile long appended;

    private volatile long synced;

    private WriteAheadLog(Path directory, long segment, FileChannel channel) {
        this.directory = directory;
        this.segment = segment;
        this.channel = channel;
    }

    /** Opens segment {@code segment} for appending, after its first {@code validBytes} bytes (the rest is cut off). */
    static WriteAheadLog open(Path directory, long segment, long validBytes) throws IOException {
        FileChannel channel = FileChannel.open(
                DataDirectory.segment(directory, segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.size() > validBytes) {
            channel.truncate(validBytes);
            channel.force(true);
        }
        channel.position(validBytes);
        return new WriteAheadLog(directory, segment, channel);
    }

    /** Appends the new state of {@code key} ({@code null}: deleted), returning the position to {@link #syncTo}. */
    long append(String key, Node after) throws IOException {
        byte[] utf8Key = key.getBytes(StandardCharsets.UTF_8);
        int payload = 1 + (after == null ? Integer.BYTES + utf8Key.length : EntryCodec.size(utf8Key, after));
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payload);
        record.position(HEADER_BYTES);
        if (after == null) {
            record.put(DELETE).putInt(utf8Key.length).put(utf8Key);
        } else {
            record.put(EntryCodec.idle(after) ? PUT_IDLE : PUT);
            EntryCodec.write(record, utf8Key, after);
        }
        CRC32C crc = new CRC32C();
        crc.update(record.array(), HEADER_BYTES, payload);
        record.putInt(0, payload).putInt(Integer.BYTES, (int) crc.getValue());
        record.flip();
        appendLock.lock();
        try {
            while (record.hasRemaining()) {
                channel.write(record);
            }
            appended += record.limit();
            return appended;
        } finally {
            appendLock.unlock();
        }
    }

    /** Forces the log to the disk unless everything up to {@code position} already is. */
    void syncTo(long position) throws IOException {
        if (synced >= position) {
            return;
        }
        syncLock.lock();
        try {
            if (synced >= position) {
                return;
            }
            long target = appended;
            channel.force(false);
            synced = target;
        } finally {
            syncLock.unlock();
        }
    }

    void sync() throws IOException {
        syncTo(appended);
    }

    /**
     * Closes the current segment, forced to the disk, and starts the next; the caller keeps writes
     * out meanwhile. Returns the new segment's number.
     */
    long rotate() throws IOException {
        syncLock.lock();
        appendLock.lock();
        try {
            channel.force(false);
            channel.close();
            segment++;
            channel = FileChannel.open(
                    DataDirectory.segment(directory, segment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            DataDirectory.force(directory);
            synced = appended;
            return segment;
        } finally {
            appendLock.unlock();
            syncLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        syncLock.lock();
        appendLock.lock();
        try {
            if (channel.isOpen()) {
                channel.force(false);
                channel.close();
            }
        } finally {
            appendLock.unlock();
            syncLock.unlock();
        }
    }

    /** Receives the records of a segment being replayed. */
    interface Replay {
        /** {@code node} is the key's new state, or {@code null} if it was deleted. */
        void apply(String key, Node node);
    }

    /**
     * Replays the whole records of a segment, in order, and returns the length they take: less than
     * the file's when its tail is cut short or damaged. A record is applied only once it has been
     * read in full and its checksum matches.
     */
    static long replay(Path file, Replay replay) throws IOException {
        long size = Files.size(file);
        long valid = 0;
        try (InputStream stream = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16))) {
            while (size - valid >= HEADER_BYTES) {
                int length = in.readInt();
                int checksum = in.readInt();
                if (length < 1 || length > MAX_PAYLOAD_BYTES || length > size - valid - HEADER_BYTES) {
                    break;
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                CRC32C crc = new CRC32C();
                crc.update(payload);
                if ((int) crc.getValue() != checksum) {
                    break;
                }
                ByteBuffer record = ByteBuffer.wrap(payload);
                byte type = record.get();
                if (type == PUT || type == PUT_IDLE) {
                    Node node = EntryCodec.read(record, type == PUT_IDLE);
                    replay.apply(node.key, node);
                } else if (type == DELETE) {
                    replay.apply(EntryCodec.readKey(record), null);
                } else {
                    break;
                }
                valid += HEADER_BYTES + length;
            }
        } catch (EOFException e) {
            // the file was cut short while being read: what was applied stands
        }
        return valid;
    }
}

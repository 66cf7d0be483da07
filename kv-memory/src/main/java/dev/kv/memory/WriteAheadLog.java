package dev.kv.memory;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The append-only log of writes, in segments {@code wal-<number>.log}. A record is the payload's
 * length, the CRC-32C of that length, the CRC-32C of the payload, and the payload: a PUT with the
 * entry's whole new state, or a DELETE. Records hold states rather than operations so that
 * replaying one twice, or over a snapshot that already has it, changes nothing. The length has a
 * checksum of its own so that a damaged length is told apart from a record cut short.
 */
final class WriteAheadLog implements Closeable {

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    /** A put of an idle entry: {@link #PUT}'s record with the idle period after it (see {@link EntryCodec}). */
    private static final byte PUT_IDLE = 3;

    private static final int HEADER_BYTES = 3 * Integer.BYTES;
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
        record.putInt(0, payload).putInt(Integer.BYTES, lengthCheck(payload)).putInt(2 * Integer.BYTES, (int)
                crc.getValue());
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

    /** What ends a segment after its whole records. */
    enum Damage {
        /** Nothing: the whole records fill the file. */
        NONE,
        /**
         * An append that did not finish: a record cut short by the end of the file, or bytes that
         * are all zero from the record's first byte to the end (a file extended before its data
         * reached the disk). A changed bit in a whole record never looks like this.
         */
        TORN,
        /** A record that is whole but fails a checksum, or cannot be decoded: the file was altered. */
        CORRUPT
    }

    /**
     * How a segment reads: its whole valid records take {@code validBytes}; from there to {@code
     * size}, {@code damage} (described by {@code reason}).
     */
    record Scan(long validBytes, long size, Damage damage, String reason) {}

    /**
     * Replays the valid records of a segment, in order, up to the first that is cut short or
     * damaged. A record is applied only once it has been read in full, its checksums match and it
     * decodes.
     */
    static Scan replay(Path file, Replay replay) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            DataInputStream in =
                    new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
            long valid = 0;
            while (valid < size) {
                long remaining = size - valid;
                if (remaining < HEADER_BYTES) {
                    return new Scan(valid, size, Damage.TORN, "a record header cut short by the end of the file");
                }
                int length = in.readInt();
                int check = in.readInt();
                int checksum = in.readInt();
                if (check != lengthCheck(length) || length < 1 || length > MAX_PAYLOAD_BYTES) {
                    return damaged(channel, valid, size, "a record header that fails its checksum");
                }
                if (length > remaining - HEADER_BYTES) {
                    return new Scan(
                            valid,
                            size,
                            Damage.TORN,
                            "a record of " + length + " bytes cut short by the end of the file");
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                CRC32C crc = new CRC32C();
                crc.update(payload);
                if ((int) crc.getValue() != checksum) {
                    return damaged(channel, valid, size, "a record that fails its checksum");
                }
                String key;
                Node node;
                try {
                    ByteBuffer record = ByteBuffer.wrap(payload);
                    byte type = record.get();
                    if (type == PUT || type == PUT_IDLE) {
                        node = EntryCodec.read(record, type == PUT_IDLE);
                        key = node.key;
                    } else if (type == DELETE) {
                        node = null;
                        key = EntryCodec.readKey(record);
                    } else {
                        return damaged(channel, valid, size, "a record of unknown type " + type);
                    }
                } catch (IOException | RuntimeException undecodable) {
                    return damaged(channel, valid, size, "a record that cannot be decoded");
                }
                replay.apply(key, node);
                valid += HEADER_BYTES + length;
            }
            return new Scan(valid, size, Damage.NONE, null);
        }
    }

    /** A record at {@code from} failed: an unfinished append if only zeros follow, else damage. */
    private static Scan damaged(FileChannel channel, long from, long size, String reason) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long position = from;
        while (position < size) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read < 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) != 0) {
                    return new Scan(from, size, Damage.CORRUPT, reason);
                }
            }
            position += read;
        }
        return new Scan(from, size, Damage.TORN, "zeros where a record should be");
    }

    private static int lengthCheck(int length) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(Integer.BYTES).putInt(length).flip());
        return (int) crc.getValue();
    }
}

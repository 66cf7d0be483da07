package dev.kv.memory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary form of an entry, shared by the log and the snapshots. An idle entry ({@link Node#idleMicros})
 * has its idle period appended; the log and snapshots mark such a record with a type of its own ({@link
 * #idle}), so files written before idle expiry existed read as they always did.
 */
final class EntryCodec {

    private static final int FIXED_BYTES = Integer.BYTES + 4 * Long.BYTES + Integer.BYTES;

    private EntryCodec() {}

    static int size(byte[] utf8Key, Node node) {
        return FIXED_BYTES + utf8Key.length + node.value.length + (idle(node) ? Long.BYTES : 0);
    }

    /** Whether {@code node} is written in the idle form, with its idle period after the value. */
    static boolean idle(Node node) {
        return node.idleMicros > 0;
    }

    static void write(ByteBuffer out, byte[] utf8Key, Node node) {
        out.putInt(utf8Key.length).put(utf8Key);
        out.putLong(node.version)
                .putLong(node.createdMicros)
                .putLong(node.updatedMicros)
                .putLong(node.expiresMicros);
        out.putInt(node.value.length).put(node.value);
        if (idle(node)) {
            out.putLong(node.idleMicros);
        }
    }

    static void write(DataOutput out, Node node) throws IOException {
        byte[] utf8Key = node.key.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8Key.length);
        out.write(utf8Key);
        out.writeLong(node.version);
        out.writeLong(node.createdMicros);
        out.writeLong(node.updatedMicros);
        out.writeLong(node.expiresMicros);
        out.writeInt(node.value.length);
        out.write(node.value);
        if (idle(node)) {
            out.writeLong(node.idleMicros);
        }
    }

    static String readKey(ByteBuffer in) throws IOException {
        return new String(bytes(in, in.getInt()), StandardCharsets.UTF_8);
    }

    static Node read(ByteBuffer in, boolean idle) throws IOException {
        String key = readKey(in);
        long version = in.getLong();
        long created = in.getLong();
        long updated = in.getLong();
        long expires = in.getLong();
        byte[] value = bytes(in, in.getInt());
        return new Node(key, value, version, created, updated, expires, idle ? idleMicros(in.getLong()) : 0);
    }

    private static long idleMicros(long idleMicros) throws IOException {
        if (idleMicros < 1) {
            throw new IOException("bad idle period " + idleMicros);
        }
        return idleMicros;
    }

    static Node read(DataInput in, int maxBytes, boolean idle) throws IOException {
        byte[] key = new byte[length(in.readInt(), maxBytes)];
        in.readFully(key);
        long version = in.readLong();
        long created = in.readLong();
        long updated = in.readLong();
        long expires = in.readLong();
        byte[] value = new byte[length(in.readInt(), maxBytes)];
        in.readFully(value);
        long idleMicros = idle ? idleMicros(in.readLong()) : 0;
        return new Node(new String(key, StandardCharsets.UTF_8), value, version, created, updated, expires, idleMicros);
    }

    private static byte[] bytes(ByteBuffer in, int length) throws IOException {
        byte[] bytes = new byte[length(length, in.remaining())];
        in.get(bytes);
        return bytes;
    }

    private static int length(int length, int max) throws IOException {
        if (length < 0 || length > max) {
            throw new IOException("bad length " + length);
        }
        return length;
    }
}

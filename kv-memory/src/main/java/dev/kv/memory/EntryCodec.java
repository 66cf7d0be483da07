package dev.kv.memory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The binary form of an entry, shared by the log and the snapshots. */
final class EntryCodec {

    private static final int FIXED_BYTES = Integer.BYTES + 4 * Long.BYTES + Integer.BYTES;

    private EntryCodec() {}

    static int size(byte[] utf8Key, Node node) {
        return FIXED_BYTES + utf8Key.length + node.value.length;
    }

    static void write(ByteBuffer out, byte[] utf8Key, Node node) {
        out.putInt(utf8Key.length).put(utf8Key);
        out.putLong(node.version)
                .putLong(node.createdMicros)
                .putLong(node.updatedMicros)
                .putLong(node.expiresMicros);
        out.putInt(node.value.length).put(node.value);
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
    }

    static String readKey(ByteBuffer in) throws IOException {
        return new String(bytes(in, in.getInt()), StandardCharsets.UTF_8);
    }

    static Node read(ByteBuffer in) throws IOException {
        String key = readKey(in);
        long version = in.getLong();
        long created = in.getLong();
        long updated = in.getLong();
        long expires = in.getLong();
        return new Node(key, bytes(in, in.getInt()), version, created, updated, expires);
    }

    static Node read(DataInput in, int maxBytes) throws IOException {
        byte[] key = new byte[length(in.readInt(), maxBytes)];
        in.readFully(key);
        long version = in.readLong();
        long created = in.readLong();
        long updated = in.readLong();
        long expires = in.readLong();
        byte[] value = new byte[length(in.readInt(), maxBytes)];
        in.readFully(value);
        return new Node(new String(key, StandardCharsets.UTF_8), value, version, created, updated, expires);
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

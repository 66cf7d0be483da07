package dev.kv;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

final class Sha256KeyHasher implements KeyHasher {

    static final Sha256KeyHasher INSTANCE = new Sha256KeyHasher();

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    });

    private Sha256KeyHasher() {}

    @Override
    public long hash(byte[] utf8Key) {
        byte[] digest = DIGEST.get().digest(utf8Key);
        long hash = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            hash = (hash << 8) | (digest[i] & 0xFF);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "sha256";
    }
}

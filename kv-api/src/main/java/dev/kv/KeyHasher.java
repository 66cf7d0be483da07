package dev.kv;

/**
 * Maps a key's UTF-8 bytes to the 64-bit primary key of its row. Two keys with one hash never
 * overwrite, return or delete each other's entry: the store detects the collision and raises
 * {@link KeyCollisionException}. Changing the hasher of an existing table makes its rows unreachable.
 */
@FunctionalInterface
public interface KeyHasher {

    long hash(byte[] utf8Key);

    /**
     * The default: the first 8 bytes of the key's SHA-256 digest, big-endian. Being a cryptographic
     * hash, nobody can craft colliding keys faster than by brute force (about 2^32 tries for one
     * pair), unlike with FNV or xxHash.
     */
    static KeyHasher sha256() {
        return Sha256KeyHasher.INSTANCE;
    }
}

package dev.kv.internal;

/**
 * A checked key and the hash of its UTF-8 bytes by the store's {@link dev.kv.KeyHasher}.
 *
 * @param text the key
 * @param hash its hash, the row's primary key
 */
public record HashedKey(String text, long hash) {}

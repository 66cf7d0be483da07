package dev.kv;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One write of an atomic batch ({@link KvStore#apply}). Each kind does what its single-key twin does:
 *
 * <ul>
 *   <li>{@link #put(String, byte[])}: {@link KvStore#set}, with or without TTL;
 *   <li>{@link #put(String, byte[])}{@code .ifVersion(n)}: {@link KvStore#setIfVersion} (a live entry keeps
 *       its expiry; {@link KvStore#ABSENT}: only if absent);
 *   <li>{@link #patch}: {@link KvStore#patch(String, byte[])}, a JSON merge patch, or with {@code
 *       .ifVersion(n)} {@link KvStore#patch(String, byte[], long)};
 *   <li>{@link #delete(String)}: {@link KvStore#delete(String)}, or with {@code .ifVersion(n)} {@link
 *       KvStore#deleteIfVersion};
 *   <li>{@link #deletePrefix}, {@link #deleteRange}, {@link #delete(ScanOptions)}: {@link
 *       KvStore#delete(ScanOptions)}, limit included.
 * </ul>
 *
 * <pre>{@code
 * List<Long> results = kv.apply(List.of(
 *         Mutation.put("doc:7", edited).ifVersion(3),       // 1, or VersionConflictException and nothing applied
 *         Mutation.patch("user:1", json("{\"seen\": true}")),
 *         Mutation.delete("lock:7"),                         // 1 if a live entry was removed, else 0
 *         Mutation.deletePrefix("tmp:")));                   // how many live entries were removed
 * }</pre>
 */
public final class Mutation {

    /** What a mutation does. */
    public enum Kind {
        /** Stores a value. */
        PUT,
        /** Merges a JSON merge patch into the document. */
        PATCH,
        /** Removes one key. */
        DELETE,
        /** Removes the live entries a {@link ScanOptions} selects. */
        DELETE_SELECTION
    }

    private final Kind kind;
    private final String key;
    private final byte[] value;
    private final Duration ttl;
    private final Long expectedVersion;
    private final ScanOptions selection;

    private Mutation(Kind kind, String key, byte[] value, Duration ttl, Long expectedVersion, ScanOptions selection) {
        this.kind = kind;
        this.key = key;
        this.value = value;
        this.ttl = ttl;
        this.expectedVersion = expectedVersion;
        this.selection = selection;
    }

    /** Stores {@code value} without expiry, as {@link KvStore#set(String, byte[])}. */
    public static Mutation put(String key, byte[] value) {
        return new Mutation(Kind.PUT, key, copyOf(value, "value"), null, null, null);
    }

    /** Stores {@code value}, to expire after {@code ttl}, as {@link KvStore#set(String, byte[], Duration)}. */
    public static Mutation put(String key, byte[] value, Duration ttl) {
        return new Mutation(Kind.PUT, key, copyOf(value, "value"), notNull(ttl, "ttl"), null, null);
    }

    /**
     * Merges the JSON merge patch (RFC 7386) into the document under {@code key}, keeping its expiry; an
     * absent key is patched as an empty object. Needs a JSONB store ({@link TypeMismatchException} otherwise).
     */
    public static Mutation patch(String key, byte[] mergePatch) {
        return new Mutation(Kind.PATCH, key, copyOf(mergePatch, "mergePatch"), null, null, null);
    }

    /** Removes {@code key}. */
    public static Mutation delete(String key) {
        return new Mutation(Kind.DELETE, key, null, null, null, null);
    }

    /** Removes every live key starting with {@code prefix}. */
    public static Mutation deletePrefix(String prefix) {
        return delete(ScanOptions.prefix(prefix));
    }

    /** Removes every live key in {@code [from, to)}. */
    public static Mutation deleteRange(String from, String to) {
        return delete(ScanOptions.range(from, to));
    }

    /**
     * Removes the live entries that {@code selection} selects — by prefix, range or glob, at most its
     * limit, the first in its order — as {@link KvStore#delete(ScanOptions)}.
     */
    public static Mutation delete(ScanOptions selection) {
        return new Mutation(Kind.DELETE_SELECTION, null, null, null, null, notNull(selection, "selection"));
    }

    /**
     * This mutation, applied only if the entry is at {@code expectedVersion}; otherwise the whole batch
     * fails with a {@link VersionConflictException} and nothing is applied. A put or a patch takes {@link
     * KvStore#ABSENT} for "only if absent"; a delete needs a positive version.
     *
     * @throws KvValidationException for a put with a TTL (a versioned put keeps the entry's expiry, as
     *     {@link KvStore#setIfVersion} does), a deletion by selection, a negative version, or {@code ABSENT}
     *     for a delete
     */
    public Mutation ifVersion(long expectedVersion) {
        if (kind == Kind.DELETE_SELECTION) {
            throw new KvValidationException("a deletion by selection has no version to check");
        }
        if (ttl != null) {
            throw new KvValidationException(
                    "a versioned put keeps the entry's expiry, as setIfVersion does: it takes no TTL");
        }
        if (expectedVersion < KvStore.ABSENT || kind == Kind.DELETE && expectedVersion == KvStore.ABSENT) {
            throw new KvValidationException("expectedVersion must be "
                    + (kind == Kind.DELETE ? "positive" : "positive or ABSENT (0)") + ", but was " + expectedVersion);
        }
        return new Mutation(kind, key, value, null, expectedVersion, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The key written, or null for a {@link Kind#DELETE_SELECTION deletion by selection}. */
    public String key() {
        return key;
    }

    /** The value of a put or the merge patch of a patch; empty for a delete. */
    public Optional<byte[]> value() {
        return Optional.ofNullable(value).map(byte[]::clone);
    }

    /** The expiry of a put, or empty for none. */
    public Optional<Duration> ttl() {
        return Optional.ofNullable(ttl);
    }

    /** The version the entry must be at, if checked. */
    public OptionalLong expectedVersion() {
        return expectedVersion == null ? OptionalLong.empty() : OptionalLong.of(expectedVersion);
    }

    /** What a {@link Kind#DELETE_SELECTION deletion by selection} removes. */
    public Optional<ScanOptions> selection() {
        return Optional.ofNullable(selection);
    }

    public boolean isDelete() {
        return kind == Kind.DELETE || kind == Kind.DELETE_SELECTION;
    }

    /** The same mutation of another key: for a view that maps keys. */
    Mutation withKey(String key) {
        return new Mutation(kind, key, value, ttl, expectedVersion, selection);
    }

    /** The same mutation with another value: for a view that transforms values. */
    Mutation withValue(byte[] value) {
        return new Mutation(kind, key, value, ttl, expectedVersion, selection);
    }

    /** The same mutation with another selection: for a view that maps keys. */
    Mutation withSelection(ScanOptions selection) {
        return new Mutation(kind, key, value, ttl, expectedVersion, selection);
    }

    private static byte[] copyOf(byte[] value, String name) {
        return notNull(value, name).clone();
    }

    private static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new KvValidationException(name + " must not be null");
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Mutation that
                && kind == that.kind
                && Objects.equals(key, that.key)
                && Arrays.equals(value, that.value)
                && Objects.equals(ttl, that.ttl)
                && Objects.equals(expectedVersion, that.expectedVersion)
                && Objects.equals(selection, that.selection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, key, Arrays.hashCode(value), ttl, expectedVersion, selection);
    }

    @Override
    public String toString() {
        String target = kind == Kind.DELETE_SELECTION
                ? "delete " + selection
                : kind.name().toLowerCase() + " " + key;
        return target
                + (ttl == null ? "" : " for " + ttl)
                + (expectedVersion == null ? "" : " if version " + expectedVersion);
    }
}

package dev.kv;

import dev.kv.internal.JsonCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The largest key and value a store accepts, and the checks every operation applies to its
 * arguments before any SQL is sent.
 *
 * @param maxKeyBytes the longest key, in UTF-8 bytes
 * @param maxValueBytes the largest value, in bytes
 */
public record Limits(int maxKeyBytes, int maxValueBytes) {

    /** Default longest key: 1 KiB. */
    public static final int DEFAULT_MAX_KEY_BYTES = 1024;

    /** Upper bound of {@link #maxKeyBytes}: a B-tree index entry must fit a third of an 8 KiB page. */
    public static final int MAX_KEY_BYTES_LIMIT = 2048;

    /** Default largest value: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

    /** Upper bound of {@link #maxValueBytes}: PostgreSQL's limit for one jsonb value is just under 256 MiB. */
    public static final int MAX_VALUE_BYTES_LIMIT = 255 * 1024 * 1024;

    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);

    /** The latest accepted expiry: PostgreSQL keeps later instants, but few clients can print them. */
    public static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    public Limits {
        if (maxKeyBytes < 1 || maxKeyBytes > MAX_KEY_BYTES_LIMIT) {
            throw new IllegalArgumentException(
                    "maxKeyBytes must be between 1 and " + MAX_KEY_BYTES_LIMIT + ", but was " + maxKeyBytes);
        }
        if (maxValueBytes < 1 || maxValueBytes > MAX_VALUE_BYTES_LIMIT) {
            throw new IllegalArgumentException(
                    "maxValueBytes must be between 1 and " + MAX_VALUE_BYTES_LIMIT + ", but was " + maxValueBytes);
        }
    }

    /**
     * Checks a key.
     *
     * @throws InvalidKeyException if the key is null, empty, longer than {@link #maxKeyBytes}, or
     *     holds a NUL character or an unpaired surrogate (neither can be stored as text)
     */
    public void checkKey(String key) {
        if (key != null && key.isEmpty()) {
            throw new InvalidKeyException("key must not be empty");
        }
        checkText("key", key);
    }

    /**
     * Checks a prefix for a scan: like a key, except that it may be empty.
     *
     * @throws InvalidKeyException if it is null, too long, or not storable
     */
    public void checkPrefix(String prefix) {
        checkText("prefix", prefix);
    }

    /** Counts the UTF-8 bytes while checking the characters: encoding every key would cost an array. */
    private void checkText(String what, String key) {
        if (key == null) {
            throw new InvalidKeyException(what + " must not be null");
        }
        int utf8Length = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                if (c == '\u0000') {
                    throw new InvalidKeyException(what + " must not contain the NUL character (at index " + i + ")");
                }
                utf8Length += 1;
            } else if (c < 0x800) {
                utf8Length += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(i + 1))) {
                utf8Length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidKeyException(what + " must not contain an unpaired surrogate (at index " + i + ")");
            } else {
                utf8Length += 3;
            }
        }
        if (utf8Length > maxKeyBytes) {
            throw new InvalidKeyException(
                    what + " is " + utf8Length + " bytes in UTF-8, more than the maximum of " + maxKeyBytes);
        }
    }

    /**
     * Returns {@code value}.
     *
     * @throws InvalidValueException if it is null or larger than {@link #maxValueBytes}
     */
    public byte[] checkValue(byte[] value) {
        if (value == null) {
            throw new InvalidValueException("value must not be null", null);
        }
        if (value.length > maxValueBytes) {
            throw new InvalidValueException(
                    "value is " + value.length + " bytes, more than the maximum of " + maxValueBytes, null);
        }
        return value;
    }

    /**
     * Returns {@code value}, a value of a store keeping {@code format}: a {@link ValueFormat#JSONB JSONB} store
     * checks that it is one JSON document {@code jsonb} accepts and counts its normalised length — without the
     * whitespace between tokens, numbers written without exponent — so that what such a store returns (PostgreSQL
     * writes a space after every comma and colon) is accepted again; other stores count its bytes.
     *
     * @throws InvalidValueException if it is null, not JSON where JSON is kept, or larger than {@link
     *     #maxValueBytes}
     */
    public byte[] checkValue(byte[] value, ValueFormat format) {
        if (format != ValueFormat.JSONB) {
            return checkValue(value);
        }
        if (value == null) {
            throw new InvalidValueException("value must not be null", null);
        }
        long length = JsonCheck.normalisedLength(value);
        if (length > maxValueBytes) {
            throw new InvalidValueException(
                    "value is " + length + " bytes, more than the maximum of " + maxValueBytes, null);
        }
        return value;
    }

    /**
     * Returns {@code ttl}.
     *
     * @throws KvValidationException if it is null
     */
    /** The shortest TTL: stores keep times to the microsecond, as PostgreSQL does. */
    public static final Duration SHORTEST_TTL = Duration.ofNanos(1_000);

    public Duration checkTtl(Duration ttl) {
        if (ttl == null) {
            throw new KvValidationException("ttl must not be null");
        }
        return ttl;
    }

    /**
     * When an entry written at {@code now} with {@code ttl} expires, to the microsecond (PostgreSQL's
     * precision).
     *
     * @throws KvValidationException if {@code ttl} is null, not positive, shorter than a microsecond
     *     (it would write an entry that is expired already), or ends after {@link #LATEST_EXPIRY}
     */
    public Instant expiresAt(Instant now, Duration ttl) {
        checkTtl(ttl);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new KvValidationException("ttl must be positive, but was " + ttl);
        }
        if (ttl.compareTo(SHORTEST_TTL) < 0) {
            throw new KvValidationException(
                    "ttl must be at least " + SHORTEST_TTL + ", the stores' precision, but was " + ttl);
        }
        // Not Duration.between: it counts nanoseconds first, which overflows (and throws) for the
        // centuries up to 9999.
        Duration left = Duration.ofSeconds(
                LATEST_EXPIRY.getEpochSecond() - now.getEpochSecond(), LATEST_EXPIRY.getNano() - now.getNano());
        if (ttl.compareTo(left) >= 0) {
            throw new KvValidationException("ttl " + ttl + " ends after " + LATEST_EXPIRY);
        }
        return now.plus(ttl).truncatedTo(ChronoUnit.MICROS);
    }
}

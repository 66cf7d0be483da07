package dev.kv.internal;

import dev.kv.CleanupStrategy;
import dev.kv.Expiry;
import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import dev.kv.KeyCollisionException;
import dev.kv.KeyHasher;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Limits;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.TypeMismatchException;
import dev.kv.ValueFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every store does before it touches its data, in one place for all backends: checks each
 * argument (keys, values and, in a JSONB store, their JSON; TTLs, versions, batches), reads the
 * clock, and works out expiry instants. A refused argument is a {@link KvValidationException}
 * subclass, thrown before anything changes.
 *
 * <p>Time: {@link #now()} is the configured clock to the microsecond, PostgreSQL's precision, and is
 * what a write stores as its time; {@link #expiryNow(Instant)} is the instant liveness is judged
 * at, which the {@link CleanupStrategy} may set apart from it. An operation reads the clock once and
 * derives both from that reading.
 */
public final class OperationFront {

    private final Limits limits;
    private final Clock clock;
    private final CleanupStrategy cleanupStrategy;
    private final KeyHasher keyHasher;
    private final ValueFormat format;
    /** Whether the strategy judges expiry at the clock's reading itself, or else always at {@link #fixedExpiryNow}. */
    private final boolean expiryNowIsNow;

    private final long fixedExpiryNowMicros;
    private final Expiry defaultExpiry;
    /** Whether reads may refresh idle entries: not when expiry is ignored. */
    private final boolean refreshesIdle;

    public OperationFront(KvConfig config) {
        this.limits = config.limits();
        this.clock = config.clock();
        this.cleanupStrategy = config.cleanupStrategy();
        this.keyHasher = config.keyHasher();
        this.format = config.format();
        Instant probe = Instant.EPOCH;
        Instant judged = cleanupStrategy.expiryNow(probe);
        this.expiryNowIsNow = judged == probe;
        this.fixedExpiryNowMicros = micros(judged);
        this.defaultExpiry = config.defaultExpiry();
        this.refreshesIdle = cleanupStrategy != CleanupStrategy.DISABLED;
    }

    // ---------------------------------------------------------------------------------- keys

    /**
     * Returns {@code key}.
     *
     * @throws InvalidKeyException as {@link Limits#checkKey} says
     */
    public String key(String key) {
        limits.checkKey(key);
        return key;
    }

    /**
     * The checked key with the hash of its UTF-8 bytes, for a store whose rows are found by hash.
     *
     * @throws InvalidKeyException as {@link Limits#checkKey} says
     */
    public HashedKey hashedKey(String key) {
        limits.checkKey(key);
        return new HashedKey(key, keyHasher.hash(key.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Returns {@code keys}, each of them checked.
     *
     * @throws KvValidationException if {@code keys} is null, or a key is refused
     */
    public <C extends Collection<String>> C keys(C keys) {
        notNull(keys, "keys");
        keys.forEach(limits::checkKey);
        return keys;
    }

    /**
     * The checked keys of a batch with their hashes, each key once, in the caller's order.
     *
     * @throws KvValidationException if {@code keys} is null, or a key is refused
     * @throws KeyCollisionException if two of the keys have one hash
     */
    public List<HashedKey> distinctHashedKeys(Collection<String> keys) {
        notNull(keys, "keys");
        Map<Long, HashedKey> byHash = new LinkedHashMap<>();
        for (String text : keys) {
            HashedKey key = hashedKey(text);
            HashedKey other = byHash.putIfAbsent(key.hash(), key);
            if (other != null && !other.text().equals(key.text())) {
                throw new KeyCollisionException(key.text(), other.text(), key.hash());
            }
        }
        return List.copyOf(byHash.values());
    }

    /**
     * The scan of {@link KvStore#keys(String)}: every live key starting with {@code prefix}.
     *
     * @throws InvalidKeyException as {@link Limits#checkPrefix} says
     */
    public ScanOptions prefixScan(String prefix) {
        limits.checkPrefix(prefix);
        return ScanOptions.prefix(prefix);
    }

    /**
     * Returns {@code options}, its key bounds checked; the cursor only for a {@code paged} scan (keys
     * and entries), as count and delete ignore it.
     *
     * @throws KvValidationException if {@code options} is null, or a bound is refused
     */
    public ScanOptions scan(ScanOptions options, boolean paged) {
        notNull(options, "options");
        options.prefix().ifPresent(limits::checkPrefix);
        options.from().ifPresent(limits::checkPrefix);
        options.to().ifPresent(limits::checkPrefix);
        if (paged) {
            options.after().ifPresent(limits::checkPrefix);
        }
        return options;
    }

    // -------------------------------------------------------------------------------- values

    /**
     * Returns {@code value}, not copied.
     *
     * @throws InvalidValueException if it is null, too large, or in a JSONB store not one JSON document
     *     that PostgreSQL's {@code jsonb} accepts (see {@link Limits#checkValue(byte[], ValueFormat)})
     */
    public byte[] value(byte[] value) {
        return limits.checkValue(value, format);
    }

    /** A private copy of a {@linkplain #value checked} value, for a store that keeps the caller's bytes. */
    public byte[] copyOfValue(byte[] value) {
        return value(value).clone();
    }

    // ---------------------------------------------------------------------------------- time

    /** The clock's instant, to the microsecond. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The instant expiry is judged at when the clock reads {@code now} (see {@link CleanupStrategy#expiryNow}). */
    public Instant expiryNow(Instant now) {
        return cleanupStrategy.expiryNow(now);
    }

    /**
     * {@link #now()} in microseconds since the epoch, for a store that keeps its times as numbers:
     * reading the clock this way keeps no {@link Instant}.
     */
    public long nowMicros() {
        return micros(clock.instant());
    }

    /** {@link #expiryNow} for a reading of {@link #nowMicros()}. */
    public long expiryNowMicros(long nowMicros) {
        return expiryNowIsNow ? nowMicros : fixedExpiryNowMicros;
    }

    /** The instant in microseconds since the epoch, truncated. */
    public static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** The instant of {@code micros} microseconds since the epoch. */
    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /**
     * Returns {@code ttl}, for the operations taking one; their implementations may then read null
     * as "no expiry".
     *
     * @throws KvValidationException if it is null
     */
    public Duration ttl(Duration ttl) {
        return limits.checkTtl(ttl);
    }

    /**
     * When an entry written at {@code now} with {@code ttl} expires.
     *
     * @throws KvValidationException as {@link Limits#expiresAt} says
     */
    public Instant expiresAt(Instant now, Duration ttl) {
        return limits.expiresAt(now, ttl);
    }

    /**
     * The expiry an entry written at {@code nowMicros} gets from {@code expiry}, or from the store's
     * {@link KvConfig#defaultExpiry()} when {@code expiry} is null (no expiry given).
     *
     * @throws KvValidationException if it would end after {@link Limits#LATEST_EXPIRY}
     */
    public WrittenExpiry written(long nowMicros, Expiry expiry) {
        Expiry effective = expiry == null ? defaultExpiry : expiry;
        if (effective.isNever()) {
            return WrittenExpiry.NEVER;
        }
        Duration duration = effective.ttl().orElseGet(() -> effective.maxIdle().orElseThrow());
        long expires = micros(expiresAt(instant(nowMicros), duration));
        return new WrittenExpiry(
                expires, effective.maxIdle().map(OperationFront::micros).orElse(0L));
    }

    /** {@link #written(long, Expiry)} of a fixed {@code ttl}, or of the default when it is null. */
    public WrittenExpiry written(long nowMicros, Duration ttl) {
        return written(nowMicros, ttl == null ? null : Expiry.after(ttl));
    }

    /** {@link #written(long, Expiry)} at {@code now}. */
    public WrittenExpiry written(Instant now, Expiry expiry) {
        return written(micros(now), expiry);
    }

    /** {@link #written(long, Duration)} at {@code now}. */
    public WrittenExpiry written(Instant now, Duration ttl) {
        return written(micros(now), ttl);
    }

    /**
     * Returns {@code expiry}, for the operations taking one.
     *
     * @throws KvValidationException if it is null
     */
    public static Expiry expiry(Expiry expiry) {
        return notNull(expiry, "expiry");
    }

    /**
     * The new expiry, in microseconds, of a live entry read at {@code nowMicros}; -1 when the read writes
     * nothing (see {@link WrittenExpiry#refreshedAt}, and never when the store ignores expiry).
     */
    public long refreshedExpiry(long expiresMicros, long idleMicros, long nowMicros) {
        return refreshesIdle ? WrittenExpiry.refreshedAt(expiresMicros, idleMicros, nowMicros) : -1;
    }

    /** A duration in microseconds, truncated. */
    public static long micros(Duration duration) {
        return duration.getSeconds() * 1_000_000L + duration.getNano() / 1_000;
    }

    // ----------------------------------------------------------------------------- arguments

    /**
     * Returns {@code argument}.
     *
     * @throws KvValidationException naming it if it is null
     */
    public static <T> T notNull(T argument, String name) {
        if (argument == null) {
            throw new KvValidationException(name + " must not be null");
        }
        return argument;
    }

    /**
     * The expected version of {@link KvStore#setIfVersion}: a version, or {@link KvStore#ABSENT}.
     *
     * @throws KvValidationException if it is negative
     */
    public static long writeVersion(long expectedVersion) {
        if (expectedVersion < KvStore.ABSENT) {
            throw new KvValidationException("expectedVersion must not be negative, but was " + expectedVersion);
        }
        return expectedVersion;
    }

    /**
     * The expected version of {@link KvStore#deleteIfVersion}: only an entry that exists has one.
     *
     * @throws KvValidationException if it is not positive
     */
    public static long deleteVersion(long expectedVersion) {
        if (expectedVersion <= KvStore.ABSENT) {
            throw new KvValidationException("expectedVersion must be positive, but was " + expectedVersion);
        }
        return expectedVersion;
    }

    /**
     * Returns {@code mutations}, each checked as its single-key write would be, its TTL against
     * {@code now}.
     *
     * @throws KvValidationException if the list is null or holds null, or any mutation is refused
     */
    public List<Mutation> mutations(List<Mutation> mutations, Instant now) {
        notNull(mutations, "mutations");
        for (Mutation mutation : mutations) {
            if (mutation == null) {
                throw new KvValidationException("mutations must not contain null");
            }
            switch (mutation.kind()) {
                case DELETE_SELECTION -> scan(mutation.selection().orElseThrow(), true);
                case PATCH -> {
                    limits.checkKey(mutation.key());
                    if (format != ValueFormat.JSONB) {
                        throw new TypeMismatchException(
                                "a JSON merge patch needs a JSONB store, but \"" + mutation.key()
                                        + "\" is in a BYTEA store",
                                null);
                    }
                    mutation.value().ifPresent(this::value);
                }
                default -> {
                    limits.checkKey(mutation.key());
                    mutation.value().ifPresent(this::value);
                    mutation.ttl().ifPresent(ttl -> expiresAt(now, ttl));
                }
            }
        }
        return mutations;
    }

    @Override
    public String toString() {
        return "OperationFront[limits=" + limits + ", clock=" + clock + ", cleanupStrategy=" + cleanupStrategy
                + ", format=" + format + "]";
    }
}

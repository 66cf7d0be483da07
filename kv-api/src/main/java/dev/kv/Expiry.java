package dev.kv;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an entry expires: never, a fixed time after it is written ({@link #after}), or once it goes
 * unread for a while ({@link #idle}: Redisson's {@code maxIdle}, a servlet session's inactive
 * interval, JCache's access expiry).
 *
 * <p>An idle entry's expiry moves on when it is read, but not on every read: a {@code get} or
 * {@code getEntry} that finds less than half of {@code maxIdle} left before its expiry refreshes it
 * to {@code maxIdle} from now; a read that finds at least half left writes nothing. So an entry read
 * at least every {@code maxIdle / 2} never expires, and an entry last read at time {@code t} expires
 * between {@code t + maxIdle / 2} and {@code t + maxIdle}. Other operations (scans, {@code
 * getMany}, {@code exists}, {@code ttl}) do not count as reads here; a write gives the entry a full
 * {@code maxIdle} again. Once expired, an idle entry is like any expired one: absent to every
 * operation and removed by {@link KvStore#cleanupExpired()}.
 *
 * <pre>{@code
 * store.set("session:42", bytes, Expiry.idle(Duration.ofMinutes(30)));   // 30 min after the last read
 * store.set("otp:42", code, Expiry.after(Duration.ofMinutes(5)));         // as set(key, value, ttl)
 * }</pre>
 */
public final class Expiry {

    private static final Expiry NEVER = new Expiry(null, false);

    private final Duration duration;
    private final boolean idle;

    private Expiry(Duration duration, boolean idle) {
        this.duration = duration;
        this.idle = idle;
    }

    /** The entry never expires. */
    public static Expiry never() {
        return NEVER;
    }

    /**
     * The entry expires {@code ttl} after it is written, whether read or not.
     *
     * @throws KvValidationException if {@code ttl} is null, or shorter than {@link Limits#SHORTEST_TTL}
     */
    public static Expiry after(Duration ttl) {
        return new Expiry(check("ttl", ttl), false);
    }

    /**
     * The entry expires once it has gone {@code maxIdle} without a read that refreshes it (see above).
     *
     * @throws KvValidationException if {@code maxIdle} is null, or shorter than twice {@link
     *     Limits#SHORTEST_TTL}
     */
    public static Expiry idle(Duration maxIdle) {
        check("maxIdle", maxIdle);
        if (maxIdle.compareTo(Limits.SHORTEST_TTL.multipliedBy(2)) < 0) {
            throw new KvValidationException("maxIdle must be at least " + Limits.SHORTEST_TTL.multipliedBy(2)
                    + ", twice the stores' precision, but was " + maxIdle);
        }
        return new Expiry(maxIdle, true);
    }

    private static Duration check(String name, Duration duration) {
        if (duration == null) {
            throw new KvValidationException(name + " must not be null");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new KvValidationException(name + " must be positive, but was " + duration);
        }
        if (duration.compareTo(Limits.SHORTEST_TTL) < 0) {
            throw new KvValidationException(
                    name + " must be at least " + Limits.SHORTEST_TTL + ", the stores' precision, but was " + duration);
        }
        return duration;
    }

    /** Whether the entry never expires. */
    public boolean isNever() {
        return duration == null;
    }

    /** The fixed time to live; empty for {@link #never()} and {@link #idle}. */
    public Optional<Duration> ttl() {
        return idle ? Optional.empty() : Optional.ofNullable(duration);
    }

    /** The longest time the entry may go unread; empty unless {@link #idle}. */
    public Optional<Duration> maxIdle() {
        return idle ? Optional.of(duration) : Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Expiry that && idle == that.idle && Objects.equals(duration, that.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(duration, idle);
    }

    @Override
    public String toString() {
        return duration == null
                ? "Expiry[never]"
                : idle ? "Expiry[idle " + duration + "]" : "Expiry[after " + duration + "]";
    }
}

package dev.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The answer of {@link KvStore#ttl(String)}: the key is absent, never expires, or expires in a while. */
public final class Ttl {

    private static final Ttl ABSENT = new Ttl(false, null);
    private static final Ttl PERSISTENT = new Ttl(true, null);

    private final boolean exists;
    private final Duration remaining;

    private Ttl(boolean exists, Duration remaining) {
        this.exists = exists;
        this.remaining = remaining;
    }

    /** The key is absent or expired. */
    public static Ttl absent() {
        return ABSENT;
    }

    /** The key exists and never expires. */
    public static Ttl persistent() {
        return PERSISTENT;
    }

    /**
     * The key exists and expires after {@code remaining}, which is positive, or zero for an entry
     * whose expiry has passed in a store with {@link CleanupStrategy#DISABLED}.
     */
    public static Ttl expiresIn(Duration remaining) {
        if (remaining.isNegative()) {
            throw new IllegalArgumentException("remaining must not be negative, but was " + remaining);
        }
        return new Ttl(true, remaining);
    }

    /** The key exists and expires at {@code expiresAt}: the time left after {@code now}, zero once passed. */
    public static Ttl between(Instant now, Instant expiresAt) {
        Duration remaining = Duration.between(now, expiresAt);
        return expiresIn(remaining.isNegative() ? Duration.ZERO : remaining);
    }

    public boolean exists() {
        return exists;
    }

    /** The time left before expiry; empty if the key is absent or never expires. */
    public Optional<Duration> remaining() {
        return Optional.ofNullable(remaining);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ttl that && exists == that.exists && Objects.equals(remaining, that.remaining);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exists, remaining);
    }

    @Override
    public String toString() {
        return !exists ? "Ttl[absent]" : remaining == null ? "Ttl[persistent]" : "Ttl[" + remaining + "]";
    }
}

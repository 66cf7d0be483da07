package dev.kv.jcache;

import java.time.Duration;
import java.util.function.Supplier;
import javax.cache.expiry.ExpiryPolicy;

/**
 * What an {@link ExpiryPolicy} answer does to an entry in the store: keep its expiry ({@code null}), expire
 * now ({@link javax.cache.expiry.Duration#ZERO}), never expire ({@link javax.cache.expiry.Duration#ETERNAL}) or
 * expire after a time to live.
 */
record EntryExpiry(Kind kind, Duration ttl) {

    enum Kind {
        KEEP,
        NOW,
        NEVER,
        AFTER
    }

    static final EntryExpiry KEEP = new EntryExpiry(Kind.KEEP, null);
    static final EntryExpiry NOW = new EntryExpiry(Kind.NOW, null);
    static final EntryExpiry NEVER = new EntryExpiry(Kind.NEVER, null);

    static EntryExpiry forCreation(ExpiryPolicy policy) {
        return of(policy::getExpiryForCreation, NEVER);
    }

    static EntryExpiry forUpdate(ExpiryPolicy policy) {
        return of(policy::getExpiryForUpdate, KEEP);
    }

    static EntryExpiry forAccess(ExpiryPolicy policy) {
        return of(policy::getExpiryForAccess, KEEP);
    }

    /** A policy that answers null, or fails, leaves the entry as it would be without an answer. */
    private static EntryExpiry of(Supplier<javax.cache.expiry.Duration> answer, EntryExpiry otherwise) {
        javax.cache.expiry.Duration duration;
        try {
            duration = answer.get();
        } catch (RuntimeException e) {
            return otherwise;
        }
        if (duration == null) {
            return otherwise;
        }
        if (duration.isEternal()) {
            return NEVER;
        }
        if (duration.isZero()) {
            return NOW;
        }
        return new EntryExpiry(
                Kind.AFTER,
                Duration.of(duration.getDurationAmount(), duration.getTimeUnit().toChronoUnit()));
    }

    boolean isNow() {
        return kind == Kind.NOW;
    }
}

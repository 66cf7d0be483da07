package dev.kv;

import java.time.Instant;

/**
 * What a store does with entries whose expiry has passed, set by {@link KvConfig.Builder#cleanupStrategy}.
 *
 * <p>Under {@link #ON_READ} and {@link #MANUAL} an expired entry is never visible to any operation;
 * they differ only in when its row is deleted. Under {@link #DISABLED} expiry is ignored.
 */
public enum CleanupStrategy {

    /**
     * A point read ({@code get}, {@code getEntry}, {@code exists}, {@code ttl}, {@code getMany} and
     * the reads derived from them) that meets an expired entry deletes it, with a second statement
     * only then, and counts it as an expiration; the delete spares an entry written again meanwhile.
     * Scans and counts skip expired entries without deleting them; {@link KvStore#cleanupExpired()}
     * still removes those no one reads. Inside a caller's transaction such a read writes and locks
     * the expired row.
     */
    ON_READ,

    /**
     * Expired entries are invisible, and stay stored until {@link KvStore#cleanupExpired()} removes
     * them: called by the application, on {@link KvConfig#cleanupInterval()}, or by the container's
     * timer. Reads never write. The default.
     */
    MANUAL,

    /**
     * Expiry is ignored: every operation treats an entry whose expiry has passed as live (it is
     * returned, counted, scanned, refuses {@code setIfAbsent}, keeps its version and counter), and
     * {@link KvStore#cleanupExpired()} deletes nothing. {@link KvStore#ttl(String)} still reports the
     * stored expiry, as {@link Ttl#expiresIn} of zero once it has passed. TTLs are kept, so switching
     * to another strategy later applies them.
     */
    DISABLED;

    /** Before every expiry a store accepts: expiry judged at this instant never passes. */
    private static final Instant BEFORE_ANY_EXPIRY = Instant.parse("0001-01-01T00:00:00Z");

    /**
     * For store implementations: the instant expiry is judged against when the clock reads {@code
     * now} — {@code now} itself, or under {@link #DISABLED} an instant before any expiry, so that every
     * comparison finds the entry live. Times written into entries stay {@code now}.
     */
    public Instant expiryNow(Instant now) {
        return this == DISABLED ? BEFORE_ANY_EXPIRY : now;
    }
}

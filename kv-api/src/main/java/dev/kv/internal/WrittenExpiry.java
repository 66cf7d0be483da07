package dev.kv.internal;

import dev.kv.Expiry;

/**
 * The expiry a write gives an entry, worked out from an {@link Expiry} at the time of writing: when
 * it expires (in microseconds since the epoch, {@link #NEVER_MICROS} for never) and, for an idle
 * entry, its idle period in microseconds (0 for none).
 *
 * <p>An idle entry's expiry is the time of its last refresh plus its idle period, so every expiry
 * check, scan and cleanup treats it as any entry with an expiry. {@link #refreshedAt} is the one rule
 * for when a read moves it on.
 */
public record WrittenExpiry(long expiresMicros, long idleMicros) {

    public static final long NEVER_MICROS = Long.MAX_VALUE;
    public static final WrittenExpiry NEVER = new WrittenExpiry(NEVER_MICROS, 0);

    public boolean expires() {
        return expiresMicros != NEVER_MICROS;
    }

    public boolean idle() {
        return idleMicros > 0;
    }

    /**
     * The new expiry of an entry with this expiry read at {@code nowMicros}, or -1 if the read must write
     * nothing: only an idle entry with less than half its idle period left is refreshed.
     */
    public long refreshedAt(long nowMicros) {
        return refreshedAt(expiresMicros, idleMicros, nowMicros);
    }

    /** {@link #refreshedAt(long)} of an entry expiring at {@code expiresMicros} with idle period {@code idleMicros}. */
    public static long refreshedAt(long expiresMicros, long idleMicros, long nowMicros) {
        return idleMicros > 0 && expiresMicros - nowMicros < idleMicros / 2 ? nowMicros + idleMicros : -1;
    }
}

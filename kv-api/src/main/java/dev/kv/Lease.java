package dev.kv;

import java.time.Duration;
import java.util.Objects;

/**
 * A lock held: its name, its owner, its fencing token and how much of the lease was left when the store
 * answered. The token of a lock strictly increases each time the lock is taken, whoever takes it, after an
 * expiry or a release, from any store instance: pass it to the resource the lock guards, which refuses a
 * token lower than one it has seen, so a holder whose lease ran out (a long pause) can no longer write.
 *
 * @param name the lock's name, as the store that returned it names keys
 * @param owner who holds it
 * @param token the fencing token of this holding, kept by renewals
 * @param remaining the lease left when the store answered
 */
public record Lease(String name, String owner, long token, Duration remaining) {

    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(remaining, "remaining");
    }

    /** This lease under another name: how a view hands on the leases of the store it wraps. */
    public Lease named(String other) {
        return new Lease(other, owner, token, remaining);
    }
}

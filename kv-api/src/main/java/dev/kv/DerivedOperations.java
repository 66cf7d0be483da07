package dev.kv;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kv.internal.JsonDocuments;
import dev.kv.internal.LockValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Atomic operations every store has by way of its {@link KvStore#update} row lock: the function
 * decides, and throwing {@link Abort} leaves the entry untouched.
 */
final class DerivedOperations {

    /** Ends an update without writing, the way {@link KvStore#update} documents for any exception. */
    private static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort() {
            super(null, null, false, false);
        }
    }

    private DerivedOperations() {}

    /**
     * A null {@code expected} means absent: the swap then creates the entry. A null {@code ttl} keeps a live
     * entry's expiry (a new one gets none); a TTL sets it.
     */
    static CasResult compareAndSwap(KvStore store, String key, byte[] expected, byte[] replacement, Duration ttl) {
        ValueFormat format = store.config().format();
        if (expected != null) {
            store.config().limits().checkValue(expected, format);
        }
        store.config().limits().checkValue(replacement, format);
        boolean json = format == ValueFormat.JSONB;
        CasResult[] result = new CasResult[1];
        UnaryOperator<byte[]> swap = current -> {
            if (current == null && expected != null) {
                result[0] = CasResult.notFound();
                throw new Abort();
            }
            if (current != null && !matches(json, current, expected)) {
                result[0] = CasResult.mismatch(current);
                throw new Abort();
            }
            result[0] = CasResult.swapped();
            return replacement;
        };
        try {
            if (ttl == null) {
                store.update(key, swap);
            } else {
                store.update(key, ttl, swap);
            }
        } catch (Abort e) {
            // result[0] says why nothing was written
        }
        return result[0];
    }

    private static boolean matches(boolean json, byte[] current, byte[] expected) {
        if (expected == null) {
            return false;
        }
        return json ? JsonDocuments.sameValue(current, expected) : Arrays.equals(current, expected);
    }

    static long increment(KvStore store, String key, long delta) {
        long[] result = new long[1];
        store.update(key, current -> {
            result[0] = current == null ? delta : Counters.add(key, Counters.parse(key, current), delta);
            return Counters.format(result[0]);
        });
        return result[0];
    }

    static long decrement(KvStore store, String key, long delta) {
        if (delta == Long.MIN_VALUE) {
            throw new CounterOverflowException("decrementing \"" + key + "\" by " + delta + " overflows", null);
        }
        return store.increment(key, -delta);
    }

    static Optional<byte[]> getAndSet(KvStore store, String key, byte[] value, Duration ttl) {
        store.config().limits().checkValue(value, store.config().format());
        return getAndReplace(store, key, ttl, current -> value);
    }

    static Optional<byte[]> getAndReplace(KvStore store, String key, Duration ttl, UnaryOperator<byte[]> next) {
        byte[][] previous = new byte[1][];
        UnaryOperator<byte[]> capture = current -> {
            previous[0] = current;
            return next.apply(current);
        };
        if (ttl == null) {
            store.update(key, capture);
        } else {
            store.update(key, ttl, capture);
        }
        return Optional.ofNullable(previous[0]);
    }

    static Optional<byte[]> patch(KvStore store, String key, byte[] mergePatch) {
        JsonNode patch = checkedPatch(store, key, mergePatch);
        return store.update(key, current -> patched(current, patch));
    }

    static byte[] patch(KvStore store, String key, byte[] mergePatch, long expectedVersion) {
        JsonNode patch = checkedPatch(store, key, mergePatch);
        Optional<Entry> entry = store.getEntry(key);
        long actual = entry.map(Entry::version).orElse(KvStore.ABSENT);
        if (actual != expectedVersion) {
            throw new VersionConflictException(key, expectedVersion, actual);
        }
        byte[] document = patched(entry.map(Entry::value).orElse(null), patch);
        store.setIfVersion(key, document, expectedVersion);
        return document;
    }

    private static JsonNode checkedPatch(KvStore store, String key, byte[] mergePatch) {
        if (store.config().format() != ValueFormat.JSONB) {
            throw new TypeMismatchException(
                    "a JSON merge patch needs a JSONB store, but \"" + key + "\" is in a "
                            + store.config().format() + " store",
                    null);
        }
        store.config().limits().checkKey(key);
        store.config().limits().checkValue(mergePatch, ValueFormat.JSONB);
        return JsonDocuments.parse(mergePatch);
    }

    private static byte[] patched(byte[] current, JsonNode patch) {
        return JsonDocuments.write(
                JsonDocuments.mergePatch(current == null ? null : JsonDocuments.parse(current), patch));
    }

    /**
     * Fencing tokens of the stores that take locks through {@link KvStore#update}: one counter for the JVM,
     * started at the wall clock's microseconds, so that tokens also increase across a restart of a persisted
     * store.
     */
    private static final AtomicLong TOKENS = new AtomicLong(System.currentTimeMillis() * 1_000);

    static Optional<Lease> tryLock(KvStore store, String name, String owner, Duration lease) {
        String checkedOwner = LockValue.owner(owner);
        store.config().limits().checkTtl(lease);
        Lease[] taken = new Lease[1];
        try {
            store.update(name, lease, current -> {
                LockValue held = LockValue.parse(current);
                if (current != null && (held == null || !held.owner().equals(checkedOwner))) {
                    throw new Abort();
                }
                long token = held != null ? held.token() : TOKENS.incrementAndGet();
                taken[0] = new Lease(name, checkedOwner, token, lease);
                return new LockValue(checkedOwner, token).bytes();
            });
            return Optional.of(taken[0]);
        } catch (Abort e) {
            return Optional.empty();
        }
    }

    static Optional<Lease> renew(KvStore store, Lease lease, Duration duration) {
        checkLease(lease);
        store.config().limits().checkTtl(duration);
        try {
            store.update(lease.name(), duration, current -> {
                if (!heldBy(current, lease)) {
                    throw new Abort();
                }
                return current;
            });
            return Optional.of(new Lease(lease.name(), lease.owner(), lease.token(), duration));
        } catch (Abort e) {
            return Optional.empty();
        }
    }

    static boolean unlock(KvStore store, Lease lease) {
        checkLease(lease);
        try {
            store.update(lease.name(), current -> {
                if (!heldBy(current, lease)) {
                    throw new Abort();
                }
                return null;
            });
            return true;
        } catch (Abort e) {
            return false;
        }
    }

    private static void checkLease(Lease lease) {
        if (lease == null) {
            throw new KvValidationException("lease must not be null");
        }
    }

    private static boolean heldBy(byte[] current, Lease lease) {
        LockValue held = LockValue.parse(current);
        return held != null && held.owner().equals(lease.owner()) && held.token() == lease.token();
    }

    static Optional<Lease> lockStatus(KvStore store, String name) {
        Optional<Entry> entry = store.getEntry(name);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        LockValue held = LockValue.parse(entry.get().value());
        if (held == null) {
            return Optional.empty();
        }
        Duration remaining = entry.get()
                .expiresAt()
                .map(at -> Duration.between(store.config().clock().instant(), at))
                .filter(left -> !left.isNegative() && !left.isZero())
                .orElse(Duration.ZERO);
        return Optional.of(new Lease(name, held.owner(), held.token(), remaining));
    }
}

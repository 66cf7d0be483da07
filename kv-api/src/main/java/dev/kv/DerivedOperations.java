package dev.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
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

    /** A null {@code expected} means absent: the swap then creates the entry, without expiry. */
    static CasResult compareAndSwap(KvStore store, String key, byte[] expected, byte[] replacement) {
        if (expected != null) {
            store.config().limits().checkValue(expected);
        }
        store.config().limits().checkValue(replacement);
        boolean json = store.config().format() == ValueFormat.JSONB;
        if (json) {
            if (expected != null) {
                JsonDocuments.parse(expected);
            }
            JsonDocuments.parse(replacement);
        }
        CasResult[] result = new CasResult[1];
        try {
            store.update(key, current -> {
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
            });
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
        store.config().limits().checkValue(value);
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
        store.config().limits().checkValue(mergePatch);
        return JsonDocuments.parse(mergePatch);
    }

    private static byte[] patched(byte[] current, JsonNode patch) {
        return JsonDocuments.write(
                JsonDocuments.mergePatch(current == null ? null : JsonDocuments.parse(current), patch));
    }

    /** A lock's value: its owner as a JSON string, valid in every format. */
    private static byte[] lockValue(KvStore store, String owner) {
        if (owner == null || owner.isEmpty()) {
            throw new KvValidationException("owner must not be empty");
        }
        return store.config().limits().checkValue(JsonDocuments.write(TextNode.valueOf(owner)));
    }

    private static boolean heldBy(KvStore store, byte[] current, byte[] owner) {
        return store.config().format() == ValueFormat.JSONB
                ? JsonDocuments.sameValue(current, owner)
                : Arrays.equals(current, owner);
    }

    static boolean tryLock(KvStore store, String name, String owner, Duration lease) {
        byte[] value = lockValue(store, owner);
        store.config().limits().checkTtl(lease);
        try {
            store.update(name, lease, current -> {
                if (current != null && !heldBy(store, current, value)) {
                    throw new Abort();
                }
                return value;
            });
            return true;
        } catch (Abort e) {
            return false;
        }
    }

    static boolean unlock(KvStore store, String name, String owner) {
        byte[] value = lockValue(store, owner);
        try {
            store.update(name, current -> {
                if (current == null || !heldBy(store, current, value)) {
                    throw new Abort();
                }
                return null;
            });
            return true;
        } catch (Abort e) {
            return false;
        }
    }
}

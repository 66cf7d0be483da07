package dev.kv.jpa;

import dev.kv.KeyCollisionException;
import dev.kv.KeyOrder;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.VersionConflictException;
import dev.kv.internal.HashedKey;
import dev.kv.internal.JsonDocuments;
import dev.kv.internal.OperationFront;
import dev.kv.internal.WrittenExpiry;
import dev.kv.jpa.SqlDialect.BatchRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * An atomic batch ({@link KvStore#apply}) of a SQL store, worked out in the client. Its first statement
 * needs, per key the batch writes, the row to insert if the key is absent — the batch run from an empty
 * table ({@link #inserts}) — and the hashes of the other keys to lock. Once the batch holds its rows, it
 * runs the mutations in order over them ({@link #over}), which gives each mutation's result and the rows
 * to rewrite and delete.
 */
final class BatchPlan {

    private final List<Mutation> mutations;
    private final OperationFront front;
    private final Function<byte[], Object> toColumn;
    private final Instant now;
    private final Instant expiryNow;
    /** Every key a mutation names, by text. */
    private final Map<String, HashedKey> keys = new LinkedHashMap<>();

    /** {@code mutations} checked by the front. */
    BatchPlan(
            List<Mutation> mutations,
            OperationFront front,
            Function<byte[], Object> toColumn,
            Instant now,
            Instant expiryNow) {
        this.mutations = mutations;
        this.front = front;
        this.toColumn = toColumn;
        this.now = now;
        this.expiryNow = expiryNow;
        Map<Long, HashedKey> byHash = new HashMap<>();
        for (Mutation mutation : mutations) {
            if (mutation.key() != null && !keys.containsKey(mutation.key())) {
                HashedKey k = front.hashedKey(mutation.key());
                HashedKey other = byHash.putIfAbsent(k.hash(), k);
                if (other != null) {
                    throw new KeyCollisionException(k.text(), other.text(), k.hash());
                }
                keys.put(k.text(), k);
            }
        }
    }

    /** The selections of the deletions by selection, in order. */
    List<ScanOptions> selections() {
        return mutations.stream()
                .filter(m -> m.kind() == Mutation.Kind.DELETE_SELECTION)
                .map(m -> m.selection().orElseThrow())
                .toList();
    }

    /**
     * Per key the batch puts or patches, the row it would leave if the key were absent — or, if it would
     * leave none (a later delete) or fail there, the last it wrote: the row the first statement inserts
     * when the key is absent, in key_hash order with the locks, so that absent keys take their place in
     * the one lock order.
     */
    List<BatchRow> inserts() {
        Map<Long, Slot> empty = new HashMap<>();
        run(empty, false);
        List<BatchRow> rows = new ArrayList<>();
        for (HashedKey k : keys.values()) {
            Slot slot = empty.get(k.hash());
            if (slot != null && slot.lastWritten != null) {
                rows.add(slot.lastWritten);
            }
        }
        return rows;
    }

    /** The hashes of the keys the batch names but does not write: locked if they hold a row. */
    long[] lockHashes(List<BatchRow> inserts) {
        Map<Long, Boolean> inserted = new HashMap<>();
        inserts.forEach(row -> inserted.put(row.key().hash(), true));
        return keys.values().stream()
                .mapToLong(HashedKey::hash)
                .filter(hash -> !inserted.containsKey(hash))
                .toArray();
    }

    /** What the batch does to the rows it holds. */
    record Outcome(List<Long> results, List<BatchRow> rewrites, long[] deletes, long sets, long deleted) {

        /** The same, deleting the rows at {@code hashes} too. */
        Outcome alsoDeleting(long[] hashes) {
            if (hashes.length == 0) {
                return this;
            }
            long[] all = java.util.stream.LongStream.concat(
                            java.util.Arrays.stream(deletes), java.util.Arrays.stream(hashes))
                    .distinct()
                    .toArray();
            return new Outcome(results, rewrites, all, sets, deleted);
        }
    }

    /**
     * Runs the mutations over the rows the batch holds: {@code held} by hash, as read after the first
     * statement, and {@code inserted}, the rows that statement inserted (keys that were absent).
     *
     * @throws VersionConflictException if a versioned mutation finds another version
     * @throws KeyCollisionException if a key's hash holds another key's live entry
     */
    Outcome over(Map<Long, StoredRow> held, Map<Long, BatchRow> inserted) {
        Map<Long, Slot> slots = new HashMap<>();
        held.forEach((hash, row) -> slots.put(hash, Slot.of(row, expiryNow)));
        inserted.forEach((hash, row) -> slots.put(hash, Slot.insertedAbsent(row)));
        List<Long> results = run(slots, true);
        List<BatchRow> rewrites = new ArrayList<>();
        List<Long> deletes = new ArrayList<>();
        slots.forEach((hash, slot) -> {
            if (!slot.touched) {
                return;
            }
            if (slot.live) {
                BatchRow row = slot.row(hash, toColumn);
                if (!same(row, slot.insertedRow)) {
                    rewrites.add(row);
                }
            } else if (slot.hasRow) {
                deletes.add(hash);
            }
        });
        long sets = mutations.stream().filter(m -> !m.isDelete()).count();
        long deleted = 0;
        for (int i = 0; i < mutations.size(); i++) {
            deleted += mutations.get(i).isDelete() ? results.get(i) : 0;
        }
        return new Outcome(
                results, rewrites, deletes.stream().mapToLong(Long::longValue).toArray(), sets, deleted);
    }

    private static boolean same(BatchRow a, BatchRow b) {
        return b != null
                && a.key().equals(b.key())
                && Objects.deepEquals(a.column(), b.column())
                && Objects.equals(a.expiresAt(), b.expiresAt())
                && Objects.equals(a.createdAt(), b.createdAt())
                && a.version() == b.version();
    }

    /** Runs every mutation over {@code slots}, adding absent ones as keys need them; with {@code strict}, versions are checked. */
    private List<Long> run(Map<Long, Slot> slots, boolean strict) {
        List<Long> results = new ArrayList<>();
        for (Mutation m : mutations) {
            if (m.kind() == Mutation.Kind.DELETE_SELECTION) {
                results.add(deleteSelection(slots, m.selection().orElseThrow(), strict));
                continue;
            }
            HashedKey k = keys.get(m.key());
            Slot slot = slots.computeIfAbsent(k.hash(), hash -> new Slot());
            if (slot.live && !slot.key.equals(k.text())) {
                throw new KeyCollisionException(k.text(), slot.key, k.hash());
            }
            long actual = slot.live ? slot.version : KvStore.ABSENT;
            if (strict && m.expectedVersion().isPresent() && m.expectedVersion().getAsLong() != actual) {
                throw new VersionConflictException(k.text(), m.expectedVersion().getAsLong(), actual);
            }
            switch (m.kind()) {
                case PUT -> {
                    boolean keepsExpiry = m.expectedVersion().isPresent() && slot.live;
                    slot.write(
                            k,
                            m.value().orElseThrow(),
                            keepsExpiry
                                    ? slot.expiry()
                                    : front.written(now, m.ttl().orElse(null)),
                            now);
                    results.add(1L);
                }
                case PATCH -> {
                    byte[] patched = front.value(JsonDocuments.mergePatch(
                            slot.live ? slot.value : null, m.value().orElseThrow()));
                    slot.write(k, patched, slot.live ? slot.expiry() : front.written(now, (Duration) null), now);
                    results.add(1L);
                }
                default -> results.add(slot.delete() ? 1L : 0L);
            }
            if (!m.isDelete()) {
                slot.lastWritten = slot.row(k.hash(), toColumn);
            }
        }
        return results;
    }

    /**
     * Deletes what {@code selection} selects among the slots, as {@link KvStore#delete(ScanOptions)} does:
     * without a page every row of the selection, with one the live rows of the page. Not {@code strict}
     * (from an empty table), a page's bound is unknown and every selected key counts as deleted.
     */
    private long deleteSelection(Map<Long, Slot> slots, ScanOptions selection, boolean strict) {
        boolean paged = selection.limit().isPresent()
                || selection.offset() > 0
                || selection.after().isPresent();
        ScanOptions where = selection.selection();
        List<Slot> selected = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.key != null
                    && (slot.live || slot.hasRow && !paged)
                    && where.matches(slot.key)
                    && (!paged || selection.matches(slot.key))) {
                selected.add(slot);
            }
        }
        if (paged && strict) {
            Comparator<Slot> order = (a, b) -> KeyOrder.compare(a.key, b.key);
            selected.sort(selection.isDescending() ? order.reversed() : order);
            int from = (int) Math.min(selection.offset(), selected.size());
            int to = (int) Math.min((long) from + selection.limit().orElse(Integer.MAX_VALUE), selected.size());
            selected = selected.subList(from, to);
        }
        long deleted = 0;
        for (Slot slot : selected) {
            deleted += slot.delete() ? 1 : 0;
        }
        return deleted;
    }

    /** What one key_hash holds as the batch runs. */
    private static final class Slot {
        String key;
        byte[] value;
        Instant expiresAt;
        /** The idle period of an idle entry, 0 for none. */
        long idleMicros;

        Instant createdAt;
        long version;
        boolean live;
        /** Whether the table has a row at this hash (held by the batch). */
        boolean hasRow;

        boolean touched;
        /** The row the first statement inserted here, if it did. */
        BatchRow insertedRow;
        /** The row the last put or patch left, from an empty table. */
        BatchRow lastWritten;

        static Slot of(StoredRow row, Instant expiryNow) {
            Slot slot = new Slot();
            slot.key = row.key();
            slot.value = row.value();
            slot.expiresAt = row.expiresAt();
            slot.idleMicros = row.idleMicros();
            slot.createdAt = row.createdAt();
            slot.version = row.version();
            slot.live = row.isLiveAt(expiryNow);
            slot.hasRow = true;
            return slot;
        }

        /** A key that was absent, where the first statement inserted {@code row}. */
        static Slot insertedAbsent(BatchRow row) {
            Slot slot = new Slot();
            slot.hasRow = true;
            slot.insertedRow = row;
            slot.touched = true;
            return slot;
        }

        WrittenExpiry expiry() {
            return expiresAt == null
                    ? WrittenExpiry.NEVER
                    : new WrittenExpiry(OperationFront.micros(expiresAt), idleMicros);
        }

        void write(HashedKey k, byte[] newValue, WrittenExpiry newExpiry, Instant now) {
            if (!live) {
                createdAt = now;
                version = 0;
            }
            key = k.text();
            value = newValue;
            expiresAt = newExpiry.expires() ? OperationFront.instant(newExpiry.expiresMicros()) : null;
            idleMicros = newExpiry.idleMicros();
            version++;
            live = true;
            touched = true;
        }

        /** Whether a live entry was removed. */
        boolean delete() {
            boolean wasLive = live;
            live = false;
            touched |= hasRow;
            return wasLive;
        }

        BatchRow row(long hash, Function<byte[], Object> toColumn) {
            return new BatchRow(
                    new HashedKey(key, hash),
                    toColumn.apply(value),
                    expiresAt,
                    createdAt,
                    version,
                    idleMicros > 0 ? idleMicros : null);
        }
    }

    @Override
    public String toString() {
        return "BatchPlan" + Arrays.toString(mutations.toArray());
    }
}

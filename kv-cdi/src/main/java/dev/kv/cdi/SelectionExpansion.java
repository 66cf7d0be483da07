package dev.kv.cdi;

import dev.kv.KeyOrder;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An atomic batch whose deletions by selection are turned into deletes of the keys they would remove,
 * so that a {@code KvChange} can be fired per key: the selected keys are listed before the batch, and the
 * batch is followed in order over them and over the keys it names (a key it puts before a deletion by
 * prefix is deleted by it). It stays one batch, locked in the store's one order. As with the bulk deletes
 * of the CDI store when changes are observed, a key another transaction creates between the listing
 * and the batch is left alone.
 */
final class SelectionExpansion {

    private final List<Mutation> expanded;
    /** Per mutation of the batch, how many mutations of the expanded batch it became. */
    private final List<Integer> sizes;

    private SelectionExpansion(List<Mutation> expanded, List<Integer> sizes) {
        this.expanded = expanded;
        this.sizes = sizes;
    }

    static SelectionExpansion of(KvStore store, List<Mutation> mutations) {
        List<String> named = mutations.stream()
                .filter(m -> m != null && m.key() != null)
                .map(Mutation::key)
                .distinct()
                .toList();
        Set<String> live = new TreeSet<>(KeyOrder::compare);
        live.addAll(store.getMany(named).keySet());
        int pointsBefore = 0;
        for (Mutation m : mutations) {
            if (m != null && m.kind() == Mutation.Kind.DELETE_SELECTION) {
                live.addAll(store.keys(listing(m.selection().orElseThrow(), pointsBefore)));
            } else {
                pointsBefore++;
            }
        }
        List<Mutation> expanded = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Mutation m : mutations) {
            if (m == null || m.kind() != Mutation.Kind.DELETE_SELECTION) {
                expanded.add(m);
                sizes.add(1);
                if (m != null && m.isDelete()) {
                    live.remove(m.key());
                } else if (m != null) {
                    live.add(m.key());
                }
                continue;
            }
            List<String> selected = selected(live, m.selection().orElseThrow());
            selected.forEach(key -> expanded.add(Mutation.delete(key)));
            sizes.add(selected.size());
            selected.forEach(live::remove);
        }
        return new SelectionExpansion(expanded, sizes);
    }

    /**
     * Enough keys of {@code selection} to fill its page after {@code pointsBefore} earlier mutations: from
     * its cursor on, in its order, its offset and limit widened by them (the offset is applied later).
     */
    private static ScanOptions listing(ScanOptions selection, int pointsBefore) {
        ScanOptions listing = selection.selection();
        if (selection.isDescending()) {
            listing = listing.descending();
        }
        if (selection.after().isPresent()) {
            listing = listing.after(selection.after().get());
        }
        if (selection.limit().isPresent()) {
            long wanted = selection.offset() + selection.limit().getAsInt() + pointsBefore;
            listing = listing.limit((int) Math.min(wanted, Integer.MAX_VALUE));
        }
        return listing;
    }

    /** The keys of {@code live} that a deletion by {@code selection} removes, in its order and page. */
    private static List<String> selected(Set<String> live, ScanOptions selection) {
        List<String> matching = new ArrayList<>();
        for (String key : live) {
            if (selection.matches(key)) {
                matching.add(key);
            }
        }
        if (selection.isDescending()) {
            java.util.Collections.reverse(matching);
        }
        int from = (int) Math.min(selection.offset(), matching.size());
        int to = (int) Math.min((long) from + selection.limit().orElse(Integer.MAX_VALUE), matching.size());
        return new ArrayList<>(new LinkedHashSet<>(matching.subList(from, to)));
    }

    List<Mutation> mutations() {
        return expanded;
    }

    /** The results of the batch, from those of the expanded one: a deletion by selection sums its deletes. */
    List<Long> results(List<Long> expandedResults) {
        List<Long> results = new ArrayList<>();
        int index = 0;
        for (int size : sizes) {
            long sum = 0;
            for (int i = 0; i < size; i++) {
                sum += expandedResults.get(index++);
            }
            results.add(sum);
        }
        return results;
    }
}

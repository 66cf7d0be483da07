package dev.kv.memory;

import dev.kv.GlobPattern;
import dev.kv.KeyOrder;
import dev.kv.KvValidationException;
import dev.kv.Limits;
import dev.kv.ScanOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.function.Function;

/**
 * Walks the skip list of keys for a {@link ScanOptions}: the prefix (a glob's literal start) and
 * range narrow the walk to a sub-view, a glob filters it, the cursor starts it past a key, and the walk stops once a page is full. Expired entries
 * are skipped, and count towards neither offset nor limit.
 */
final class KeyScan {

    private final NavigableSet<String> keys;
    private final Function<String, Node> peek;

    KeyScan(NavigableSet<String> keys, Function<String, Node> peek) {
        this.keys = keys;
        this.peek = peek;
    }

    /**
     * The live nodes {@code options} selects, in its order; paged (cursor, offset, limit) or, for
     * count and delete, not.
     */
    List<Node> select(ScanOptions options, Limits limits, long nowMicros, boolean paged) {
        if (options == null) {
            throw new KvValidationException("options must not be null");
        }
        options.prefix().ifPresent(limits::checkPrefix);
        options.from().ifPresent(limits::checkPrefix);
        options.to().ifPresent(limits::checkPrefix);
        if (paged) {
            options.after().ifPresent(limits::checkPrefix);
        }
        String lower = max(options.prefix().orElse(null), options.from().orElse(null));
        String upper = min(
                options.prefix().map(KeyOrder::prefixEnd).orElse(null),
                options.to().orElse(null));
        if (lower != null && upper != null && KeyOrder.compare(lower, upper) >= 0) {
            return List.of();
        }
        NavigableSet<String> view = keys;
        if (lower != null && upper != null) {
            view = view.subSet(lower, true, upper, false);
        } else if (lower != null) {
            view = view.tailSet(lower, true);
        } else if (upper != null) {
            view = view.headSet(upper, false);
        }
        if (options.isDescending()) {
            view = view.descendingSet();
        }
        if (paged && options.after().isPresent()) {
            view = view.tailSet(options.after().get(), false);
        }
        GlobPattern glob = options.glob().orElse(null);
        long skip = paged ? options.offset() : 0;
        int limit = paged ? options.limit().orElse(Integer.MAX_VALUE) : Integer.MAX_VALUE;
        List<Node> selected = new ArrayList<>();
        for (String key : view) {
            if (selected.size() >= limit) {
                break;
            }
            if (glob != null && !glob.matches(key)) {
                continue;
            }
            Node node = peek.apply(key);
            if (node == null || !node.liveAt(nowMicros)) {
                continue;
            }
            if (skip > 0) {
                skip--;
                continue;
            }
            selected.add(node);
        }
        return Collections.unmodifiableList(selected);
    }

    private static String max(String a, String b) {
        return a == null ? b : b == null ? a : KeyOrder.compare(a, b) >= 0 ? a : b;
    }

    private static String min(String a, String b) {
        return a == null ? b : b == null ? a : KeyOrder.compare(a, b) <= 0 ? a : b;
    }
}

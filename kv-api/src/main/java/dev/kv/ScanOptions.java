package dev.kv;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which live keys a scan visits, in which order, and which page of them: all keys, those with a
 * prefix, or those in a half-open range {@code [from, to)}; ascending or descending in code point
 * order; with a limit, an offset, or a keyset cursor ({@link #after}) for stable paging over large
 * sets. Immutable: every method returns a new instance.
 *
 * <pre>{@code
 * ScanOptions page = ScanOptions.prefix("user:").limit(100);
 * List<String> first = store.keys(page);
 * List<String> next = store.keys(page.after(first.get(first.size() - 1)));
 * }</pre>
 */
public final class ScanOptions {

    private static final int NO_LIMIT = Integer.MAX_VALUE;

    private final String prefix;
    private final GlobPattern glob;
    private final String from;
    private final String to;
    private final boolean descending;
    private final int limit;
    private final long offset;
    private final String after;

    private ScanOptions(
            String prefix,
            GlobPattern glob,
            String from,
            String to,
            boolean descending,
            int limit,
            long offset,
            String after) {
        this.prefix = prefix;
        this.glob = glob;
        this.from = from;
        this.to = to;
        this.descending = descending;
        this.limit = limit;
        this.offset = offset;
        this.after = after;
    }

    /** Every live key. */
    public static ScanOptions all() {
        return new ScanOptions(null, null, null, null, false, NO_LIMIT, 0, null);
    }

    /** The live keys starting with {@code prefix}; every character is literal. */
    public static ScanOptions prefix(String prefix) {
        return new ScanOptions(notNull(prefix, "prefix"), null, null, null, false, NO_LIMIT, 0, null);
    }

    /**
     * The live keys in {@code [from, to)}; a null bound is open.
     *
     * @throws KvValidationException if both bounds are given and {@code from} is after {@code to}
     */
    public static ScanOptions range(String from, String to) {
        if (from != null && to != null && KeyOrder.compare(from, to) > 0) {
            throw new KvValidationException("range from \"" + from + "\" must not be after to \"" + to + "\"");
        }
        return new ScanOptions(null, null, from, to, false, NO_LIMIT, 0, null);
    }

    /**
     * The live keys matching the glob {@code pattern} (see {@link GlobPattern}); the literal text
     * before its first wildcard is scanned as a prefix, through the index.
     *
     * @throws InvalidPatternException if the pattern is malformed
     */
    public static ScanOptions glob(String pattern) {
        return new ScanOptions(null, GlobPattern.compile(pattern), null, null, false, NO_LIMIT, 0, null);
    }

    private static String notNull(String argument, String name) {
        if (argument == null) {
            throw new KvValidationException(name + " must not be null");
        }
        return argument;
    }

    /** Visit keys from the greatest to the smallest. */
    public ScanOptions descending() {
        return new ScanOptions(prefix, glob, from, to, true, limit, offset, after);
    }

    /**
     * Return at most {@code limit} keys (default: no limit).
     *
     * @throws KvValidationException if {@code limit} is not positive
     */
    public ScanOptions limit(int limit) {
        if (limit < 1) {
            throw new KvValidationException("limit must be positive, but was " + limit);
        }
        return new ScanOptions(prefix, glob, from, to, descending, limit, offset, after);
    }

    /** Skip the first {@code offset} matching keys. Prefer {@link #after} for deep pages. */
    public ScanOptions offset(long offset) {
        if (offset < 0) {
            throw new KvValidationException("offset must not be negative, but was " + offset);
        }
        return new ScanOptions(prefix, glob, from, to, descending, limit, offset, after);
    }

    /** Continue after {@code key} in scan order: the keyset cursor, stable while keys are added or removed. */
    public ScanOptions after(String key) {
        return new ScanOptions(prefix, glob, from, to, descending, limit, offset, notNull(key, "after"));
    }

    /** The prefix every selected key starts with: the one given, or the literal start of the glob. */
    public Optional<String> prefix() {
        return glob != null ? Optional.of(glob.literalPrefix()) : Optional.ofNullable(prefix);
    }

    public Optional<GlobPattern> glob() {
        return Optional.ofNullable(glob);
    }

    public Optional<String> from() {
        return Optional.ofNullable(from);
    }

    public Optional<String> to() {
        return Optional.ofNullable(to);
    }

    public boolean isDescending() {
        return descending;
    }

    /** The most keys to return, or empty for no limit. */
    public OptionalInt limit() {
        return limit == NO_LIMIT ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    public long offset() {
        return offset;
    }

    public Optional<String> after() {
        return Optional.ofNullable(after);
    }

    /**
     * The keys these options select by prefix, glob and range, without order, page or cursor: what
     * {@link KvStore#count} and {@link KvStore#delete(ScanOptions)} consider.
     */
    public ScanOptions selection() {
        return new ScanOptions(prefix, glob, from, to, false, NO_LIMIT, 0, null);
    }

    /** The same scan over keys that all start with {@code namespace}: for a namespaced view of a store. */
    ScanOptions within(String namespace) {
        GlobPattern inner = glob == null ? null : glob.within(namespace);
        return new ScanOptions(
                namespace + (prefix == null ? "" : prefix),
                inner,
                from == null ? null : namespace + from,
                to == null ? null : namespace + to,
                descending,
                limit,
                offset,
                after == null ? null : namespace + after);
    }

    /** Whether {@code key} lies in the prefix or range and past the cursor, ignoring limit and offset. */
    public boolean matches(String key) {
        if (prefix != null && !key.startsWith(prefix) || glob != null && !glob.matches(key)) {
            return false;
        }
        if (from != null && KeyOrder.compare(key, from) < 0 || to != null && KeyOrder.compare(key, to) >= 0) {
            return false;
        }
        if (after != null) {
            int order = KeyOrder.compare(key, after);
            return descending ? order < 0 : order > 0;
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScanOptions that
                && Objects.equals(prefix, that.prefix)
                && Objects.equals(glob, that.glob)
                && Objects.equals(from, that.from)
                && Objects.equals(to, that.to)
                && descending == that.descending
                && limit == that.limit
                && offset == that.offset
                && Objects.equals(after, that.after);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix, glob, from, to, descending, limit, offset, after);
    }

    @Override
    public String toString() {
        return "ScanOptions["
                + (glob != null
                        ? "glob=" + glob
                        : prefix != null ? "prefix=" + prefix : "range=[" + from + ", " + to + ")")
                + (descending ? ", descending" : "") + (limit == NO_LIMIT ? "" : ", limit=" + limit) + ", offset="
                + offset
                + (after != null ? ", after=" + after : "") + "]";
    }
}

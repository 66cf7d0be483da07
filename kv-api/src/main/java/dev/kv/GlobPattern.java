package dev.kv;

import dev.kv.internal.GlobSyntax;

/**
 * A glob over keys: {@code *} matches any characters, {@code ?} one character, {@code [abc]} and
 * {@code [a-z]} one of a set, {@code [!abc]} or {@code [^abc]} one outside it, and {@code \} makes
 * the next character literal. Characters are Unicode code points. A pattern matches whole keys.
 *
 * <p>The literal text before its first wildcard becomes a key range that an index can serve.
 *
 * <p>A pattern has at most {@link #MAX_LENGTH} characters and {@link #MAX_WILDCARDS} wildcards, and a
 * run of {@code *} is one wildcard ({@code a**b} is {@code a*b}). Within those limits, matching a key
 * costs at most the key's length times the pattern's, on every backend: no pattern can make a scan
 * backtrack through every way of splitting a key.
 */
public final class GlobPattern {

    /** The most characters (code points) a pattern may have. */
    public static final int MAX_LENGTH = 4096;

    /** The most wildcards a pattern may have: {@code ?}, {@code [...]} and runs of {@code *}, each once. */
    public static final int MAX_WILDCARDS = 32;

    private final String source;
    private final GlobSyntax syntax;

    private GlobPattern(String source, GlobSyntax syntax) {
        this.source = source;
        this.syntax = syntax;
    }

    /**
     * Parses {@code glob}.
     *
     * @throws InvalidPatternException if it is null or malformed, longer than {@link #MAX_LENGTH}
     *     characters, or has more than {@link #MAX_WILDCARDS} wildcards
     */
    public static GlobPattern compile(String glob) {
        if (glob != null && glob.codePointCount(0, glob.length()) > MAX_LENGTH) {
            throw new InvalidPatternException("pattern has " + glob.codePointCount(0, glob.length())
                    + " characters, more than the maximum of " + MAX_LENGTH);
        }
        return new GlobPattern(glob, GlobSyntax.parse(glob));
    }

    /** This pattern after the literal {@code namespace}, which does not count towards {@link #MAX_LENGTH}. */
    GlobPattern within(String namespace) {
        String inner = escape(namespace) + source;
        return new GlobPattern(inner, GlobSyntax.parse(inner));
    }

    /** {@code text} as a pattern that matches exactly it. */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                escaped.append('\\');
            }
            escaped.appendCodePoint(c);
        });
        return escaped.toString();
    }

    /** Whether {@code key} matches the whole pattern. */
    public boolean matches(String key) {
        return syntax.matches(key);
    }

    /** The characters every match starts with: the literals before the first wildcard. */
    public String literalPrefix() {
        return syntax.literalPrefix();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlobPattern that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }
}

package dev.kv;

import dev.kv.internal.GlobSyntax;
import java.util.regex.Pattern;

/**
 * A glob over keys: {@code *} matches any characters, {@code ?} one character, {@code [abc]} and
 * {@code [a-z]} one of a set, {@code [!abc]} or {@code [^abc]} one outside it, and {@code \} makes
 * the next character literal. Characters are Unicode code points. A pattern matches whole keys.
 *
 * <p>The literal text before its first wildcard becomes a key range that an index can serve.
 */
public final class GlobPattern {

    private final String source;
    private final String literalPrefix;
    private final Pattern java;

    private GlobPattern(String source, GlobSyntax syntax) {
        this.source = source;
        this.literalPrefix = syntax.literalPrefix();
        this.java = Pattern.compile(syntax.javaRegex(), Pattern.DOTALL);
    }

    /**
     * Parses {@code glob}.
     *
     * @throws InvalidPatternException if it is null or malformed
     */
    public static GlobPattern compile(String glob) {
        return new GlobPattern(glob, GlobSyntax.parse(glob));
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
        return java.matcher(key).matches();
    }

    /** The characters every match starts with: the literals before the first wildcard. */
    public String literalPrefix() {
        return literalPrefix;
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

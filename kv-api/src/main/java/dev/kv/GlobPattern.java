package dev.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A glob over keys: {@code *} matches any characters, {@code ?} one character, {@code [abc]} and
 * {@code [a-z]} one of a set, {@code [!abc]} or {@code [^abc]} one outside it, and {@code \} makes
 * the next character literal. Characters are Unicode code points. A pattern matches whole keys.
 *
 * <p>Parsed once, it is rendered for Java and for PostgreSQL regular expressions, and the literal
 * text before its first wildcard becomes a key range that an index can serve.
 */
public final class GlobPattern {

    private sealed interface Token permits Literal, AnyOne, AnyRun, CharClass {}

    private record Literal(int codePoint) implements Token {}

    private record AnyOne() implements Token {}

    private record AnyRun() implements Token {}

    private record CharClass(boolean negated, List<int[]> ranges) implements Token {}

    private final String source;
    private final List<Token> tokens;
    private final Pattern java;

    private GlobPattern(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
        this.java = Pattern.compile(render(false), Pattern.DOTALL);
    }

    /**
     * Parses {@code glob}.
     *
     * @throws InvalidPatternException if it is null or malformed
     */
    public static GlobPattern compile(String glob) {
        if (glob == null) {
            throw new InvalidPatternException("pattern must not be null");
        }
        List<Token> tokens = new ArrayList<>();
        int[] points = glob.codePoints().toArray();
        for (int i = 0; i < points.length; i++) {
            int c = points[i];
            if (c == '*') {
                tokens.add(new AnyRun());
            } else if (c == '?') {
                tokens.add(new AnyOne());
            } else if (c == '\\') {
                if (++i == points.length) {
                    throw new InvalidPatternException("pattern \"" + glob + "\" ends with an unfinished escape");
                }
                tokens.add(new Literal(points[i]));
            } else if (c == '[') {
                i = parseClass(glob, points, i, tokens);
            } else {
                tokens.add(new Literal(c));
            }
        }
        return new GlobPattern(glob, List.copyOf(tokens));
    }

    /** Parses the class opening at {@code start}; returns the index of its closing bracket. */
    private static int parseClass(String glob, int[] points, int start, List<Token> tokens) {
        int i = start + 1;
        boolean negated = i < points.length && (points[i] == '!' || points[i] == '^');
        if (negated) {
            i++;
        }
        List<int[]> ranges = new ArrayList<>();
        while (i < points.length && points[i] != ']') {
            int low = points[i] == '\\' && i + 1 < points.length ? points[++i] : points[i];
            int high = low;
            if (i + 2 < points.length && points[i + 1] == '-' && points[i + 2] != ']') {
                i += 2;
                high = points[i] == '\\' && i + 1 < points.length ? points[++i] : points[i];
                if (high < low) {
                    throw new InvalidPatternException("pattern \"" + glob + "\" has a reversed range "
                            + new String(Character.toChars(low)) + "-" + new String(Character.toChars(high)));
                }
            }
            ranges.add(new int[] {low, high});
            i++;
        }
        if (i == points.length) {
            throw new InvalidPatternException("pattern \"" + glob + "\" has an unclosed [");
        }
        if (ranges.isEmpty()) {
            throw new InvalidPatternException("pattern \"" + glob + "\" has an empty []");
        }
        tokens.add(new CharClass(negated, List.copyOf(ranges)));
        return i;
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
        StringBuilder prefix = new StringBuilder();
        for (Token token : tokens) {
            if (!(token instanceof Literal literal)) {
                break;
            }
            prefix.appendCodePoint(literal.codePoint());
        }
        return prefix.toString();
    }

    /** The pattern as a PostgreSQL (ARE) regular expression, anchored at both ends. */
    public String postgresRegex() {
        return render(true);
    }

    private String render(boolean postgres) {
        StringBuilder regex = new StringBuilder("^");
        for (Token token : tokens) {
            if (token instanceof Literal literal) {
                regex.append(escape(literal.codePoint(), postgres));
            } else if (token instanceof AnyOne) {
                regex.append('.');
            } else if (token instanceof AnyRun) {
                regex.append(".*");
            } else if (token instanceof CharClass set) {
                regex.append(set.negated() ? "[^" : "[");
                for (int[] range : set.ranges()) {
                    regex.append(escape(range[0], postgres));
                    if (range[1] != range[0]) {
                        regex.append('-').append(escape(range[1], postgres));
                    }
                }
                regex.append(']');
            }
        }
        return regex.append('$').toString();
    }

    /** A code point as an escape both engines read as that literal character, wherever it stands. */
    private static String escape(int codePoint, boolean postgres) {
        if (codePoint < 128 && Character.isLetterOrDigit(codePoint)) {
            return String.valueOf((char) codePoint);
        }
        if (!postgres) {
            return String.format("\\x{%x}", codePoint);
        }
        return codePoint <= 0xFFFF ? String.format("\\u%04x", codePoint) : String.format("\\U%08x", codePoint);
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

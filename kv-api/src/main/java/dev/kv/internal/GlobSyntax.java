package dev.kv.internal;

import dev.kv.GlobPattern;
import dev.kv.InvalidPatternException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed form of a {@link GlobPattern}: a matcher for keys in Java, and its translation for
 * PostgreSQL and SQLite, whose scans match keys in SQL. Runs of {@code *} are one token, so neither side can be
 * made to try every way of splitting a key between adjacent stars.
 */
public final class GlobSyntax {

    private sealed interface Token permits Literal, AnyOne, AnyRun, CharClass {}

    private record Literal(int codePoint) implements Token {}

    private record AnyOne() implements Token {}

    private record AnyRun() implements Token {}

    private record CharClass(boolean negated, List<int[]> ranges) implements Token {
        boolean accepts(int codePoint) {
            for (int[] range : ranges) {
                if (codePoint >= range[0] && codePoint <= range[1]) {
                    return !negated;
                }
            }
            return negated;
        }
    }

    private final Token[] tokens;

    private GlobSyntax(List<Token> tokens) {
        this.tokens = tokens.toArray(Token[]::new);
    }

    /**
     * Parses {@code glob}, which may have at most {@link GlobPattern#MAX_WILDCARDS} wildcards. The
     * length limit is {@link GlobPattern#compile}'s: a namespace lengthens a pattern with literals.
     *
     * @throws InvalidPatternException if it is null, malformed or has too many wildcards
     */
    public static GlobSyntax parse(String glob) {
        if (glob == null) {
            throw new InvalidPatternException("pattern must not be null");
        }
        List<Token> tokens = new ArrayList<>();
        int[] points = glob.codePoints().toArray();
        for (int i = 0; i < points.length; i++) {
            int c = points[i];
            if (c == '*') {
                if (tokens.isEmpty() || !(tokens.get(tokens.size() - 1) instanceof AnyRun)) {
                    tokens.add(new AnyRun());
                }
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
        long wildcards =
                tokens.stream().filter(token -> !(token instanceof Literal)).count();
        if (wildcards > GlobPattern.MAX_WILDCARDS) {
            throw new InvalidPatternException("pattern has " + wildcards
                    + " wildcards (?, [...] and runs of *), more than the maximum of " + GlobPattern.MAX_WILDCARDS);
        }
        return new GlobSyntax(tokens);
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

    /**
     * Whether {@code key} matches the whole pattern. Every token but {@code *} matches exactly one
     * code point, so on a mismatch it is enough to let the latest {@code *} take one more code point
     * and retry from there: no earlier star ever needs to give any back. The work is at most the key's
     * length times the pattern's, with no recursion.
     */
    public boolean matches(String key) {
        int t = 0;
        int p = 0;
        int starToken = -1;
        int starText = 0;
        while (t < key.length()) {
            int c = key.codePointAt(t);
            if (p < tokens.length && !(tokens[p] instanceof AnyRun) && accepts(tokens[p], c)) {
                p++;
                t += Character.charCount(c);
            } else if (p < tokens.length && tokens[p] instanceof AnyRun) {
                starToken = p++;
                starText = t;
            } else if (starToken >= 0) {
                p = starToken + 1;
                starText += Character.charCount(key.codePointAt(starText));
                t = starText;
            } else {
                return false;
            }
        }
        while (p < tokens.length && tokens[p] instanceof AnyRun) {
            p++;
        }
        return p == tokens.length;
    }

    private static boolean accepts(Token token, int codePoint) {
        if (token instanceof Literal literal) {
            return literal.codePoint() == codePoint;
        }
        if (token instanceof CharClass set) {
            return set.accepts(codePoint);
        }
        return true;
    }

    /** Whether the pattern has a character class, which {@link #postgresLike()} cannot say. */
    public boolean hasClasses() {
        for (Token token : tokens) {
            if (token instanceof CharClass) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pattern as a PostgreSQL {@code LIKE} pattern with the default escape character {@code \}:
     * exactly the pattern where it has no class, and otherwise a superset of it where each class is
     * {@code _}, to narrow the rows before {@link #postgresRegex()} decides.
     */
    public String postgresLike() {
        StringBuilder like = new StringBuilder();
        for (Token token : tokens) {
            if (token instanceof Literal literal) {
                int c = literal.codePoint();
                if (c == '%' || c == '_' || c == '\\') {
                    like.append('\\');
                }
                like.appendCodePoint(c);
            } else if (token instanceof AnyRun) {
                like.append('%');
            } else {
                like.append('_');
            }
        }
        return like.toString();
    }

    /** The pattern as a PostgreSQL (ARE) regular expression, anchored at both ends. */
    public String postgresRegex() {
        StringBuilder regex = new StringBuilder("^");
        for (Token token : tokens) {
            if (token instanceof Literal literal) {
                regex.append(escape(literal.codePoint()));
            } else if (token instanceof AnyOne) {
                regex.append('.');
            } else if (token instanceof AnyRun) {
                regex.append(".*");
            } else if (token instanceof CharClass set) {
                regex.append(set.negated() ? "[^" : "[");
                for (int[] range : set.ranges()) {
                    regex.append(escape(range[0]));
                    if (range[1] != range[0]) {
                        regex.append('-').append(escape(range[1]));
                    }
                }
                regex.append(']');
            }
        }
        return regex.append('$').toString();
    }

    /**
     * The pattern as an SQLite {@code GLOB} pattern, which matches the whole key by code point and has
     * no escape character: a literal {@code *}, {@code ?} or {@code [} becomes a class of itself, and a
     * class lists {@code ]} first and {@code -} last, where SQLite reads them as members.
     */
    public String sqliteGlob() {
        StringBuilder glob = new StringBuilder();
        for (Token token : tokens) {
            if (token instanceof Literal literal) {
                int c = literal.codePoint();
                if (c == '*' || c == '?' || c == '[') {
                    glob.append('[').appendCodePoint(c).append(']');
                } else {
                    glob.appendCodePoint(c);
                }
            } else if (token instanceof AnyOne) {
                glob.append('?');
            } else if (token instanceof AnyRun) {
                glob.append('*');
            } else if (token instanceof CharClass set) {
                glob.append(sqliteClass(set));
            }
        }
        return glob.toString();
    }

    /**
     * A class as SQLite reads it: {@code ^} right after {@code [} negates it, then {@code ]} and {@code -}
     * are members; elsewhere {@code -} between two members is a range. So {@code ]} and {@code -} stand
     * alone at the start, split off the ranges that hold them, and a first member {@code ^} of a class
     * that is not negated moves to the end.
     */
    private static String sqliteClass(CharClass set) {
        boolean closing = false;
        boolean dash = false;
        List<int[]> members = new ArrayList<>();
        for (int[] range : set.ranges()) {
            int low = range[0];
            int high = range[1];
            if (low <= '-' && '-' <= high) {
                dash = true;
                members.add(new int[] {low, '-' - 1});
                low = '-' + 1;
            }
            if (low <= ']' && ']' <= high) {
                closing = true;
                members.add(new int[] {low, ']' - 1});
                low = ']' + 1;
            }
            members.add(new int[] {low, high});
        }
        members.removeIf(range -> range[0] > range[1]);
        StringBuilder text = new StringBuilder();
        members.forEach(range -> appendRange(text, range[0], range[1]));
        if (!set.negated() && !closing && !dash && text.length() > 0 && text.charAt(0) == '^') {
            int[] first = members.remove(0);
            text.setLength(0);
            members.forEach(range -> appendRange(text, range[0], range[1]));
            appendRange(text, '^' + 1, first[1]);
            if (text.length() == 0) {
                return "^";
            }
            text.append('^');
        }
        return "[" + (set.negated() ? "^" : "") + (closing ? "]" : "") + (dash ? "-" : "") + text + "]";
    }

    private static void appendRange(StringBuilder members, int low, int high) {
        if (low > high) {
            return;
        }
        members.appendCodePoint(low);
        if (high > low) {
            members.append('-').appendCodePoint(high);
        }
    }

    /** A code point as an escape PostgreSQL reads as that literal character, wherever it stands. */
    private static String escape(int codePoint) {
        if (codePoint < 128 && Character.isLetterOrDigit(codePoint)) {
            return String.valueOf((char) codePoint);
        }
        return codePoint <= 0xFFFF ? String.format("\\u%04x", codePoint) : String.format("\\U%08x", codePoint);
    }
}

package dev.kv.internal;

import dev.kv.InvalidIdentifierException;
import java.util.regex.Pattern;

/**
 * The rule for table and schema names that kv puts into SQL: lower-case letters, digits and
 * underscores, starting with a letter or underscore. Such a name means the same quoted or not,
 * needs no escaping, and leaves room under PostgreSQL's 63-byte limit for the index names derived
 * from it. Nothing from configuration reaches SQL without passing this check.
 */
public final class SqlIdentifier {

    /** Longest accepted name: 63 bytes minus the longest index suffix kv appends. */
    public static final int MAX_LENGTH = 48;

    private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]*");

    private SqlIdentifier() {}

    /**
     * Returns {@code name} when it is a valid identifier.
     *
     * @param setting what the name configures, named in the error message
     * @throws InvalidIdentifierException otherwise
     */
    public static String check(String setting, String name) {
        if (name == null) {
            throw new InvalidIdentifierException(setting + " must not be null");
        }
        if (name.isEmpty() || name.length() > MAX_LENGTH || !VALID.matcher(name).matches()) {
            throw new InvalidIdentifierException(setting + " must be 1 to " + MAX_LENGTH
                    + " characters of a-z, 0-9 and _, not starting with a digit, but was \"" + printable(name) + "\"");
        }
        return name;
    }

    /** The identifier as it appears in SQL. */
    public static String quote(String checkedName) {
        return '"' + checkedName + '"';
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return name.codePointCount(0, name.length()) > 80 ? out + "..." : out.toString();
    }
}

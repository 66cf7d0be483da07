package dev.kv;

/**
 * A glob pattern that does not parse (an unclosed or empty class, a reversed range, a trailing
 * escape) or exceeds {@link GlobPattern#MAX_LENGTH} or {@link GlobPattern#MAX_WILDCARDS}.
 */
public class InvalidPatternException extends KvValidationException {

    private static final long serialVersionUID = 1L;

    public InvalidPatternException(String message) {
        super(message);
    }
}

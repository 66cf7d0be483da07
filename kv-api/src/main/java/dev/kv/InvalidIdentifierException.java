package dev.kv;

/** A table or schema name from configuration that is not a safe SQL identifier. Nothing was changed. */
public class InvalidIdentifierException extends KvValidationException {

    private static final long serialVersionUID = 1L;

    public InvalidIdentifierException(String message) {
        super(message);
    }
}

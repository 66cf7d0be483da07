package dev.kv.migrations;

/** A table or schema name from configuration that is not a safe SQL identifier. */
public class InvalidIdentifierException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidIdentifierException(String message) {
        super(message);
    }
}

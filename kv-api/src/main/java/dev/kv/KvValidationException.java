package dev.kv;

/** An argument the store refuses before sending anything to the database. Nothing was changed. */
public class KvValidationException extends KvException {

    private static final long serialVersionUID = 1L;

    public KvValidationException(String message) {
        super(message);
    }

    public KvValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}

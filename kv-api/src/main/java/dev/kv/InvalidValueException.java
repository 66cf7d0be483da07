package dev.kv;

/** A value that is null, larger than the configured maximum, or not valid JSON for a JSONB store. */
public class InvalidValueException extends KvValidationException {

    private static final long serialVersionUID = 1L;

    /** @param cause the failure that revealed it, or {@code null} */
    public InvalidValueException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.kv.internal;

import dev.kv.InvalidValueException;

/** Bytes offered as a JSON value that PostgreSQL's {@code jsonb} would not accept. */
public class InvalidJsonException extends InvalidValueException {

    private static final long serialVersionUID = 1L;

    public InvalidJsonException(String message) {
        super(message);
    }

    public InvalidJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.kv;

/** An operation that needs a value of a certain type, e.g. an integer for increment, found another. Nothing changed. */
public class TypeMismatchException extends KvException {

    private static final long serialVersionUID = 1L;

    /** @param cause the failure that revealed it, or {@code null} */
    public TypeMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}

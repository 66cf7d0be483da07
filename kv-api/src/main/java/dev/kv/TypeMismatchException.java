package dev.kv;

/** An operation that needs a value of a certain type, e.g. an integer for increment, found another. Nothing changed. */
public class TypeMismatchException extends KvException {

    private static final long serialVersionUID = 1L;

    public TypeMismatchException(String message) {
        super(message);
    }

    public TypeMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}

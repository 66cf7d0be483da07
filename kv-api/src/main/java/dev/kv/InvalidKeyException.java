package dev.kv;

/** A key that is null, empty, too long, or not storable (a NUL character, an unpaired surrogate). */
public class InvalidKeyException extends KvValidationException {

    private static final long serialVersionUID = 1L;

    public InvalidKeyException(String message) {
        super(message);
    }
}

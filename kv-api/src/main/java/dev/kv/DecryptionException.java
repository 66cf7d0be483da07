package dev.kv;

/**
 * A stored ciphertext that does not decrypt: tampered with, truncated, moved to another key, or
 * written under a key id the encryptor does not have. Never retryable.
 */
public class DecryptionException extends KvException {

    private static final long serialVersionUID = 1L;

    /** @param cause the failure that revealed it, or {@code null} */
    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.kv;

/** The root of every exception a {@link KvStore} raises. */
public class KvException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KvException(String message) {
        super(message);
    }

    public KvException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same call may succeed if retried: true for transient database failures (lost
     * connection, deadlock, serialization failure, lock or statement timeout), false for everything
     * that would fail again.
     */
    public boolean retryable() {
        return false;
    }
}

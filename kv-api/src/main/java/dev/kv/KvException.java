package dev.kv;

/**
 * The root of every exception a {@link KvStore} raises.
 *
 * <p>Two questions decide what a caller may do after a failure: {@link #outcomeUnknown()}, whether
 * the failed call may have taken effect all the same, and {@link #retryable()}, whether calling it
 * again may succeed and is safe to do without looking first.
 */
public class KvException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KvException(String message) {
        super(message);
    }

    public KvException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same call may succeed if simply made again: true for transient failures (a lost
     * connection, deadlock, serialization failure, lock timeout, a busy pool) where the call either
     * certainly did not take effect or is one whose repetition is harmless (see {@link
     * #outcomeUnknown()}); false for everything that would fail again, and for a call that may
     * already have taken effect and must not be repeated blindly (an increment whose commit is in
     * doubt).
     */
    public boolean retryable() {
        return false;
    }

    /**
     * Whether the failed call may have taken effect: the connection was lost after the statement or
     * its commit was sent, so the database may have committed it though the caller never heard
     * back. False when the call certainly changed nothing. A caller that must not apply a write twice
     * reads the data again before repeating it.
     */
    public boolean outcomeUnknown() {
        return false;
    }
}

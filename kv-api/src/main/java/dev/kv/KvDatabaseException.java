package dev.kv;

/**
 * The database failed to carry out an operation; {@link #retryable()} tells whether trying again can
 * help and is safe, {@link #outcomeUnknown()} whether the operation may have taken effect all the
 * same.
 */
public class KvDatabaseException extends KvException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final boolean outcomeUnknown;
    private final String sqlState;

    /** A failure after which the operation certainly did not take effect. */
    public KvDatabaseException(String message, String sqlState, boolean retryable, Throwable cause) {
        this(message, sqlState, retryable, false, cause);
    }

    public KvDatabaseException(
            String message, String sqlState, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.retryable = retryable;
        this.outcomeUnknown = outcomeUnknown;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }

    @Override
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** The SQLSTATE the database reported, or {@code null} if the failure had none. */
    public String sqlState() {
        return sqlState;
    }
}

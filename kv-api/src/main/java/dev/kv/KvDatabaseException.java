package dev.kv;

/** The database failed to carry out an operation; {@link #retryable()} tells whether trying again can help. */
public class KvDatabaseException extends KvException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final String sqlState;

    public KvDatabaseException(String message, String sqlState, boolean retryable, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.retryable = retryable;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }

    /** The SQLSTATE the database reported, or {@code null} if the failure had none. */
    public String sqlState() {
        return sqlState;
    }
}

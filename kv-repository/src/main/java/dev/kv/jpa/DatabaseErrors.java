package dev.kv.jpa;

import dev.kv.KvDatabaseException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Translates every persistence failure of a store into a {@link KvDatabaseException}, in one place. */
final class DatabaseErrors {

    /** SQLSTATEs after which the same call can succeed: the transaction lost a race or the server a moment. */
    private static final Set<String> RETRYABLE_STATES = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available (lock_timeout)
            "57014", // query_canceled (statement_timeout)
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now
            "53300"); // too_many_connections

    private DatabaseErrors() {}

    static KvDatabaseException translate(String operation, RuntimeException failure) {
        SQLException sql = findSqlException(failure);
        String state = sql == null ? null : sql.getSQLState();
        boolean retryable = sql instanceof SQLTransientException || isRetryable(state);
        String reason = sql == null ? failure.getMessage() : sql.getMessage();
        return new KvDatabaseException(
                "kv " + operation + " failed" + (state == null ? "" : " [SQLSTATE " + state + "]") + ": " + reason,
                state,
                retryable,
                failure);
    }

    static boolean isRetryable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || RETRYABLE_STATES.contains(sqlState));
    }

    private static SQLException findSqlException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}

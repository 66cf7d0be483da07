package dev.kv.jpa;

import dev.kv.KvConfig;
import dev.kv.KvDatabaseException;
import dev.kv.KvTimeoutException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Translates every persistence failure of a store into a {@link KvDatabaseException}, in one place,
 * and judges it: whether the operation may have taken effect ({@code outcomeUnknown}) and whether
 * calling it again may succeed and is safe ({@code retryable}).
 */
final class DatabaseErrors {

    /** SQLSTATEs after which the same call can succeed: the transaction lost a race or the server a moment. */
    private static final Set<String> TRANSIENT_STATES = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available (lock_timeout)
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now
            "53300"); // too_many_connections

    /**
     * SQLSTATEs of a connection that ended under the operation: if the statement or its commit had
     * been sent, the server may have committed it. Class 08 (connection exception) is one too.
     */
    private static final Set<String> LOST_CONNECTION_STATES = Set.of(
            "57P01", // admin_shutdown (pg_terminate_backend, a fast shutdown)
            "57P02"); // crash_shutdown

    private static final String LOCK_TIMEOUT = "55P03";
    /** query_canceled: statement_timeout, or a cancel request. A statement that timed out would most likely again. */
    private static final String STATEMENT_TIMEOUT = "57014";
    /** idle_in_transaction_session_timeout: the server ended a session whose transaction outlived the bound. */
    private static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03";

    /** Operations that change nothing: their outcome is never in doubt. */
    private static final Set<String> READS = Set.of(
            "get",
            "getEntry",
            "exists",
            "ttl",
            "keys",
            "scan",
            "count",
            "getMany",
            "stats",
            "open",
            "changes.read",
            "changes.lastSeq",
            "consumer.position",
            "consumer.status");

    /**
     * Writes that leave the same state however often they are applied, so they may be repeated blindly
     * when their outcome is unknown; the repetition's answer tells what the first attempt left (a
     * repeated {@code delete} answers false). Every other write (an increment, a version-checked or
     * if-absent write, {@code update} and what builds on it, {@code inTransaction}) is not repeated
     * blindly.
     */
    private static final Set<String> REPEATABLE_WRITES = Set.of(
            "set",
            "setMany",
            "delete",
            "deleteMany",
            "apply",
            "expire",
            "persist",
            "cleanupExpired",
            "changes.trim",
            "consumer.commit",
            "consumer.delete");

    private DatabaseErrors() {}

    static KvDatabaseException translate(String operation, RuntimeException failure) {
        SQLException sql = find(failure, SQLException.class);
        String state = sql == null ? null : sql.getSQLState();
        String reason = sql == null ? failure.getMessage() : sql.getMessage();
        String message =
                "kv " + operation + " failed" + (state == null ? "" : " [SQLSTATE " + state + "]") + ": " + reason;
        if (sql instanceof SQLTransientConnectionException && state == null && sql.getCause() == null) {
            return new KvTimeoutException(
                    "kv " + operation + " found no free connection in the store's pool within its connectionTimeout: "
                            + reason,
                    null,
                    true,
                    failure);
        }
        if (LOCK_TIMEOUT.equals(state)) {
            return new KvTimeoutException(message, state, true, failure);
        }
        if (STATEMENT_TIMEOUT.equals(state) || IDLE_IN_TRANSACTION_TIMEOUT.equals(state)) {
            return new KvTimeoutException(message, state, false, failure);
        }
        boolean applied = find(failure, NotApplied.class) == null;
        boolean outcomeUnknown = applied && !READS.contains(operation) && lostConnection(state, failure);
        boolean transientFailure = sql instanceof SQLTransientException || isTransient(state);
        boolean retryable = transientFailure && (!outcomeUnknown || REPEATABLE_WRITES.contains(operation));
        if (outcomeUnknown) {
            message += retryable
                    ? " (it may have been applied; repeating it is harmless)"
                    : " (it may have been applied: read before repeating it)";
        }
        return new KvDatabaseException(message, state, retryable, outcomeUnknown, failure);
    }

    /**
     * Why a store could not open: the server unreachable (retryable), the credentials refused, the
     * database missing, a privilege lacking, or whatever else the database said.
     */
    static KvDatabaseException openFailure(KvConfig config, RuntimeException failure) {
        SQLException sql = find(failure, SQLException.class);
        String state = sql == null ? null : sql.getSQLState();
        String reason = sql == null ? String.valueOf(failure.getMessage()) : sql.getMessage();
        String what = state == null
                ? "it failed"
                : switch (state) {
                    case "28P01", "28000" -> "the server refused the user's credentials";
                    case "3D000" -> "the database does not exist";
                    case "42501" -> "the role lacks a privilege";
                    case "57P03" -> "the server is starting up or shutting down";
                    case "53300" -> "the server has no connection slot left";
                    default -> state.startsWith("08") ? "the server cannot be reached" : "the database refused";
                };
        return new KvDatabaseException(
                "kv could not open the store " + config.schema() + "." + config.table() + ": " + what
                        + (state == null ? "" : " [SQLSTATE " + state + "]") + ": " + reason,
                state,
                isTransient(state),
                failure);
    }

    static boolean isTransient(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || TRANSIENT_STATES.contains(sqlState));
    }

    private static boolean lostConnection(String state, Throwable failure) {
        if (state == null) {
            return find(failure, IOException.class) != null;
        }
        return state.startsWith("08") || LOST_CONNECTION_STATES.contains(state);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}

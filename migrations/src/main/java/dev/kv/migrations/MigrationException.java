package dev.kv.migrations;

import dev.kv.KvException;

/**
 * A Liquibase run on a kv table that did not complete; the message says what the database refused
 * (e.g. a privilege the role lacks). {@link #retryable()} when the server could not be reached or had
 * no connection to give.
 */
public class MigrationException extends KvException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public MigrationException(String message, Throwable cause) {
        this(message, false, cause);
    }

    public MigrationException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}

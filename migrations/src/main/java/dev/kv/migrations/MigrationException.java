package dev.kv.migrations;

import dev.kv.KvException;

/** A Liquibase run on a kv table that did not complete. */
public class MigrationException extends KvException {

    private static final long serialVersionUID = 1L;

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.kv.cli;

import dev.kv.KeyNotFoundException;
import dev.kv.KvDatabaseException;
import dev.kv.KvException;
import dev.kv.KvValidationException;
import dev.kv.VersionConflictException;
import dev.kv.migrations.MigrationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** What a failed command prints (one line on stderr, "kv: …") and the exit code it ends with. */
final class Failures {

    /** An expected outcome that is not success, with its exit code: absent, held, mismatched. */
    static final class Outcome extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Outcome(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    static Outcome notFound(String message) {
        return new Outcome(ExitCodes.NOT_FOUND, message);
    }

    static Outcome conflict(String message) {
        return new Outcome(ExitCodes.CONFLICT, message);
    }

    static Outcome badInput(String message) {
        return new Outcome(ExitCodes.BAD_INPUT, message);
    }

    private Failures() {}

    static int handle(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        commandLine.getErr().println("kv: " + message(failure));
        return exitCode(failure);
    }

    static int exitCode(Throwable failure) {
        if (failure instanceof CommandLine.ParameterException) {
            return ExitCodes.BAD_INPUT;
        }
        if (failure instanceof Outcome outcome) {
            return outcome.exitCode;
        }
        if (failure instanceof KeyNotFoundException) {
            return ExitCodes.NOT_FOUND;
        }
        if (failure instanceof KvValidationException
                || failure instanceof IllegalArgumentException
                || failure instanceof DateTimeParseException
                || failure instanceof IOException
                || failure instanceof UncheckedIOException) {
            return ExitCodes.BAD_INPUT;
        }
        if (failure instanceof VersionConflictException) {
            return ExitCodes.CONFLICT;
        }
        if (failure instanceof KvDatabaseException || failure instanceof MigrationException) {
            return ExitCodes.UNAVAILABLE;
        }
        if (failure instanceof KvException) {
            return isUnavailable(failure) ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
        }
        return ExitCodes.REFUSED;
    }

    /** A store that could not open (e.g. Hibernate found no table) is unavailable, not a refusal. */
    private static boolean isUnavailable(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return message.startsWith("could not open") || message.contains("run the migrations");
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        if (exitCode(failure) == ExitCodes.UNAVAILABLE) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != failure && root.getMessage() != null && !message.contains(root.getMessage())) {
                message += ": " + root.getMessage();
            }
            message += " (is the database reachable, and initialised with kv init?)";
        }
        return message;
    }
}

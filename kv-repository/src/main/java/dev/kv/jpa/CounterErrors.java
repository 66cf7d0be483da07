package dev.kv.jpa;

import dev.kv.CounterOverflowException;
import dev.kv.KvDatabaseException;
import dev.kv.KvException;
import dev.kv.TypeMismatchException;

/** What the errors of the one-statement increment mean: the stored value is no counter, or the sum overflows. */
final class CounterErrors {

    private CounterErrors() {}

    static KvException translate(String key, long delta, KvDatabaseException failure) {
        String state = failure.sqlState() == null ? "" : failure.sqlState();
        return switch (state) {
            case "22003" ->
                new CounterOverflowException("incrementing \"" + key + "\" by " + delta + " overflows", failure);
            // not_null_violation: the value is not a number; invalid_text_representation and
            // character_not_in_repertoire: the text of a BYTEA value is no integer.
            case "23502", "22P02", "22021" ->
                new TypeMismatchException("value of \"" + key + "\" is not an integer that fits a long", failure);
            default -> failure;
        };
    }
}

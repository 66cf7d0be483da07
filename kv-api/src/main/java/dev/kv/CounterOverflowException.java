package dev.kv;

/** An increment or decrement whose result does not fit a {@code long}. Counters never wrap; nothing changed. */
public class CounterOverflowException extends KvException {

    private static final long serialVersionUID = 1L;

    public CounterOverflowException(String message) {
        super(message);
    }

    public CounterOverflowException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.kv;

/** An increment or decrement whose result does not fit a {@code long}. Counters never wrap; nothing changed. */
public class CounterOverflowException extends KvException {

    private static final long serialVersionUID = 1L;

    /** @param cause the failure that revealed it, or {@code null} */
    public CounterOverflowException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.kv;

/** An operation on a store that was closed: every operation of a closed store throws it, and changes nothing. */
public class StoreClosedException extends KvException {

    private static final long serialVersionUID = 1L;

    public StoreClosedException(String store) {
        super(store + " is closed");
    }
}

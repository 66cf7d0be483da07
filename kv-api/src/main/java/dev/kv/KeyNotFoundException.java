package dev.kv;

/** An operation for which absence is an error, e.g. {@link KvStore#getOrThrow}, met an absent or expired key. */
public class KeyNotFoundException extends KvException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public KeyNotFoundException(String key) {
        super("key \"" + key + "\" is absent or expired");
        this.key = key;
    }

    public String key() {
        return key;
    }
}

package dev.kv;

/**
 * Two different keys have the same {@link KeyHasher hash}, and the other key holds a live entry in
 * the slot this key needs. Nothing was changed and the other entry was neither returned nor touched.
 */
public class KeyCollisionException extends KvException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String occupiedBy;
    private final long hash;

    public KeyCollisionException(String key, String occupiedBy, long hash) {
        super("key \"" + key + "\" has the same hash (" + hash + ") as the stored key \"" + occupiedBy + "\"");
        this.key = key;
        this.occupiedBy = occupiedBy;
        this.hash = hash;
    }

    public String key() {
        return key;
    }

    /** The key that holds the slot. */
    public String occupiedBy() {
        return occupiedBy;
    }

    public long hash() {
        return hash;
    }
}

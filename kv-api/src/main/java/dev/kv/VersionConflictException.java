package dev.kv;

/**
 * A write conditioned on an entry's version found another version, or found the key present when
 * it had to be absent (expected version {@value KvStore#ABSENT}). Nothing was changed; reading the
 * entry again and retrying can succeed.
 */
public class VersionConflictException extends KvException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final long expected;
    private final long actual;

    public VersionConflictException(String key, long expected, long actual) {
        super("key \"" + key + "\" is " + describe(actual) + ", not " + describe(expected));
        this.key = key;
        this.expected = expected;
        this.actual = actual;
    }

    private static String describe(long version) {
        return version == KvStore.ABSENT ? "absent" : "at version " + version;
    }

    public String key() {
        return key;
    }

    public long expected() {
        return expected;
    }

    /** The version found, {@value KvStore#ABSENT} when the key was absent or expired. */
    public long actual() {
        return actual;
    }

    /** The entry moved on: reading it again and retrying the write can succeed. */
    @Override
    public boolean retryable() {
        return true;
    }
}

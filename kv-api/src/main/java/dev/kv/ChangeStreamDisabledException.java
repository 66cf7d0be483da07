package dev.kv;

/** {@link KvStore#changes()} on a store configured without {@link KvConfig.Builder#changeStream(boolean)}. */
public class ChangeStreamDisabledException extends KvException {

    private static final long serialVersionUID = 1L;

    public ChangeStreamDisabledException(KvConfig config) {
        super("the change stream of " + config.schema() + "." + config.table()
                + " is off: enable it with KvConfig.Builder.changeStream(true) (and run the migrations)");
    }
}

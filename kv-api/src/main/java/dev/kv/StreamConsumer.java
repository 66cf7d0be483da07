package dev.kv;

/**
 * A named, durable position in a {@link ChangeStream}: a consumer reads the changes after its
 * position and commits the seq of the last one it has handled, so that after a restart it goes on
 * where it stopped. A consumer exists once it has committed; one that never did is at 0.
 *
 * <pre>{@code
 * StreamConsumer indexer = store.changes().consumer("indexer");
 * List<Change> page = store.changes().read(indexer.position(), 100);
 * page.forEach(search::apply);
 * if (!page.isEmpty()) indexer.commit(page.get(page.size() - 1).seq());
 * }</pre>
 */
public final class StreamConsumer {

    private final ChangeStream stream;
    private final String name;

    StreamConsumer(ChangeStream stream, String name) {
        this.stream = stream;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The seq this consumer last committed, or 0 if it never did (or was deleted). */
    public long position() {
        return stream.position(name);
    }

    /**
     * Sets the position to {@code seq}: the next {@code read(position(), …)} starts after it. A
     * smaller seq than the current position replays changes.
     *
     * @throws KvValidationException if {@code seq} is negative or greater than {@link ChangeStream#lastSeq()}
     */
    public void commit(long seq) {
        ChangeStream.checkSeq("seq", seq);
        long lastSeq = stream.commitPosition(name, seq);
        if (seq > lastSeq) {
            throw new KvValidationException(
                    "consumer \"" + name + "\" cannot commit seq " + seq + ": the stream's last seq is " + lastSeq);
        }
    }

    /** The position, the stream's last seq and the lag between them, read together. */
    public ConsumerStatus status() {
        return stream.status(name);
    }

    /**
     * Forgets this consumer: its position is 0 again.
     *
     * @return whether it had committed a position
     */
    public boolean delete() {
        return stream.deleteConsumer(name);
    }

    @Override
    public String toString() {
        return "StreamConsumer[" + name + "]";
    }
}

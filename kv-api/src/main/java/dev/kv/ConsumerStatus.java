package dev.kv;

/**
 * Where a {@link StreamConsumer} stands.
 *
 * @param name the consumer's name
 * @param position the seq it last committed; 0 if it never committed
 * @param lastSeq the stream's {@link ChangeStream#lastSeq()} when the status was read
 */
public record ConsumerStatus(String name, long position, long lastSeq) {

    /** How many seqs the consumer has still to read: {@code lastSeq - position}, at least 0. */
    public long lag() {
        return Math.max(0, lastSeq - position);
    }
}

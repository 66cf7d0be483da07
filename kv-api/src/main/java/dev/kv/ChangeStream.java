package dev.kv;

import java.util.List;

/**
 * The changes of a store, in the order they became visible, each with a {@link Change#seq() seq}
 * greater than every earlier one: for replication, cache invalidation or a change feed. Opt in with
 * {@link KvConfig.Builder#changeStream(boolean)}; {@link KvStore#changes()} returns the stream.
 *
 * <p><b>No change is ever skipped.</b> A reader that has seen the change with seq {@code n} has seen,
 * or can still read, every change with a smaller seq: seqs are assigned in the order changes become
 * visible (in PostgreSQL at commit, one committing transaction at a time), so a consumer may safely
 * commit the seq of the last change it read. Seqs may have holes (a transaction that failed while
 * committing), never ones that fill later.
 *
 * <p>Changes made in a transaction ({@link KvStore#inTransaction}, {@link KvStore#apply}, a
 * container transaction) enter the stream when it commits, and not at all when it rolls back. The
 * stream grows until {@link #trim(long) trimmed}. Every method validates its arguments first and
 * raises a {@link KvValidationException} for a bad one.
 */
public abstract class ChangeStream {

    /** The longest consumer name accepted, in characters. */
    public static final int MAX_CONSUMER_NAME_LENGTH = 200;

    /** For the stores and views that implement a stream. */
    protected ChangeStream() {}

    /**
     * Up to {@code limit} changes with a seq greater than {@code afterSeq}, oldest first.
     *
     * @param afterSeq 0 to read from the start, else the seq of the last change already handled
     * @throws KvValidationException if {@code afterSeq} is negative or {@code limit} is not positive
     */
    public final List<Change> read(long afterSeq, int limit) {
        return read(afterSeq, limit, "");
    }

    /**
     * Up to {@code limit} changes of keys starting with {@code keyPrefix}, with a seq greater than
     * {@code afterSeq}, oldest first. The stream is read in seq order and filtered, so a rare prefix
     * costs as much as reading all changes.
     *
     * @throws KvValidationException if {@code afterSeq} is negative, {@code limit} is not positive, or
     *     {@code keyPrefix} is null
     */
    public final List<Change> read(long afterSeq, int limit, String keyPrefix) {
        checkSeq("afterSeq", afterSeq);
        if (limit < 1) {
            throw new KvValidationException("limit must be positive, but was " + limit);
        }
        if (keyPrefix == null) {
            throw new KvValidationException("keyPrefix must not be null");
        }
        return changesAfter(afterSeq, limit, keyPrefix);
    }

    /**
     * The greatest seq assigned so far, 0 before the first change. Trimming does not lower it. In
     * PostgreSQL it may for an instant name a change whose commit is still finishing.
     */
    public abstract long lastSeq();

    /**
     * Deletes the changes with a seq up to and including {@code uptoSeq}, e.g. the smallest position
     * of all consumers. Consumers are not consulted: one behind {@code uptoSeq} misses what was deleted.
     *
     * @return the number of changes deleted
     * @throws KvValidationException if {@code uptoSeq} is negative
     */
    public final long trim(long uptoSeq) {
        checkSeq("uptoSeq", uptoSeq);
        return deleteUpTo(uptoSeq, "");
    }

    /**
     * The consumer {@code name} of this stream; it exists once it commits a position.
     *
     * @throws KvValidationException if {@code name} is null, blank, longer than {@value
     *     #MAX_CONSUMER_NAME_LENGTH} characters or holds a control character
     */
    public final StreamConsumer consumer(String name) {
        if (name == null) {
            throw new KvValidationException("consumer name must not be null");
        }
        if (name.isBlank()
                || name.length() > MAX_CONSUMER_NAME_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new KvValidationException("consumer name must be 1 to " + MAX_CONSUMER_NAME_LENGTH
                    + " characters, not blank and without control characters, but was \""
                    + name.replaceAll("\\p{Cntrl}", "?")
                    + "\"");
        }
        return new StreamConsumer(this, name);
    }

    static long checkSeq(String name, long seq) {
        if (seq < 0) {
            throw new KvValidationException(name + " must not be negative, but was " + seq);
        }
        return seq;
    }

    /** {@link #read(long, int, String)} with checked arguments. */
    protected abstract List<Change> changesAfter(long afterSeq, int limit, String keyPrefix);

    /** Deletes the changes of keys starting with {@code keyPrefix} up to {@code uptoSeq}; returns how many. */
    protected abstract long deleteUpTo(long uptoSeq, String keyPrefix);

    /** The committed position of the consumer {@code name}, or 0. */
    protected abstract long position(String name);

    /**
     * Stores {@code seq} (not negative) as the position of the consumer {@code name}, unless it is
     * greater than the last seq, in one atomic step.
     *
     * @return the last seq: the position was stored if {@code seq} is not greater
     */
    protected abstract long commitPosition(String name, long seq);

    /** The status of the consumer {@code name}. */
    protected abstract ConsumerStatus status(String name);

    /** Deletes the consumer {@code name}; returns whether it existed. */
    protected abstract boolean deleteConsumer(String name);
}

package dev.kv;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The change stream as a view of a store shows it: only the keys under {@code prefix}, each change
 * as {@code shown} makes it (key without the prefix, value decrypted), and consumers of its own,
 * whose names the underlying stream keeps under the same prefix.
 */
final class ViewChangeStream extends ChangeStream {

    private final ChangeStream stream;
    private final String prefix;
    private final UnaryOperator<Change> shown;

    ViewChangeStream(ChangeStream stream, String prefix, UnaryOperator<Change> shown) {
        this.stream = stream;
        this.prefix = prefix;
        this.shown = shown;
    }

    @Override
    protected List<Change> changesAfter(long afterSeq, int limit, String keyPrefix) {
        return stream.changesAfter(afterSeq, limit, prefix + keyPrefix).stream()
                .map(shown)
                .toList();
    }

    /** The last seq of the whole stream: in a namespace, other namespaces' changes count too. */
    @Override
    public long lastSeq() {
        return stream.lastSeq();
    }

    @Override
    protected long deleteUpTo(long uptoSeq, String keyPrefix) {
        return stream.deleteUpTo(uptoSeq, prefix + keyPrefix);
    }

    @Override
    protected long position(String name) {
        return stream.position(prefix + name);
    }

    @Override
    protected long commitPosition(String name, long seq) {
        return stream.commitPosition(prefix + name, seq);
    }

    @Override
    protected ConsumerStatus status(String name) {
        ConsumerStatus status = stream.status(prefix + name);
        return new ConsumerStatus(name, status.position(), status.lastSeq());
    }

    @Override
    protected boolean deleteConsumer(String name) {
        return stream.deleteConsumer(prefix + name);
    }

    @Override
    public String toString() {
        return "view " + prefix + " of " + stream;
    }
}

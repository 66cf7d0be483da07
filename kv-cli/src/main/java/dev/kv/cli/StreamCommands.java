package dev.kv.cli;

import dev.kv.ConsumerStatus;
import dev.kv.KvStore;
import dev.kv.StreamConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The change stream (every write, in commit order) and its consumers (named, durable positions in it). */
final class StreamCommands {

    private StreamCommands() {}

    @Command(
            name = "stream",
            mixinStandardHelpOptions = true,
            description = "Read the change stream: every set, delete and expiry, in commit order.",
            subcommands = {StreamGet.class, StreamSeq.class, StreamTrim.class})
    static final class Stream {}

    @Command(name = "get", description = "Up to <limit> changes after <seq>: seq, type, key, version, value.")
    static final class StreamGet extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<seq>", description = "0 for the start, else the last seq handled.")
        long seq;

        @Parameters(index = "1", paramLabel = "<limit>")
        int limit;

        @Override
        void run(KvStore store, Output output) {
            output.changes(store.changes().read(seq, limit));
        }
    }

    @Command(name = "seq", description = "The last seq of the stream (0 before the first change).")
    static final class StreamSeq extends StoreCommand {
        @Override
        void run(KvStore store, Output output) {
            long seq = store.changes().lastSeq();
            output.result(Long.toString(seq), "seq", seq);
        }
    }

    @Command(name = "trim", description = "Delete the changes up to and including <seq>; prints how many.")
    static final class StreamTrim extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<seq>")
        long seq;

        @Override
        void run(KvStore store, Output output) {
            long deleted = store.changes().trim(seq);
            output.result(Long.toString(deleted), "deleted", deleted);
        }
    }

    @Command(
            name = "consumer",
            mixinStandardHelpOptions = true,
            description = "A consumer: a named position in the stream that survives restarts.",
            subcommands = {ConsumerGet.class, ConsumerStatusCommand.class, ConsumerCommit.class, ConsumerDelete.class})
    static final class Consumer {}

    @Command(name = "get", description = "The seq the consumer last committed (0 if none).")
    static final class ConsumerGet extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Override
        void run(KvStore store, Output output) {
            long position = store.changes().consumer(name).position();
            output.result(Long.toString(position), "name", name, "position", position);
        }
    }

    @Command(name = "status", description = "The consumer's position, the stream's last seq and the lag between them.")
    static final class ConsumerStatusCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Override
        void run(KvStore store, Output output) {
            ConsumerStatus status = store.changes().consumer(name).status();
            output.result(
                    "position " + status.position() + "\tlastSeq " + status.lastSeq() + "\tlag " + status.lag(),
                    "name",
                    name,
                    "position",
                    status.position(),
                    "lastSeq",
                    status.lastSeq(),
                    "lag",
                    status.lag());
        }
    }

    @Command(name = "commit", description = "Store <seq> as the consumer's position. Exit 2 if beyond the last seq.")
    static final class ConsumerCommit extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Parameters(index = "1", paramLabel = "<seq>")
        long seq;

        @Override
        void run(KvStore store, Output output) {
            store.changes().consumer(name).commit(seq);
            output.result("ok", "name", name, "position", seq);
        }
    }

    @Command(name = "delete", description = "Forget the consumer. Exit 1 if it had never committed.")
    static final class ConsumerDelete extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Override
        void run(KvStore store, Output output) {
            StreamConsumer consumer = store.changes().consumer(name);
            if (!consumer.delete()) {
                throw Failures.notFound("consumer \"" + name + "\" not found");
            }
            output.result("deleted", "name", name, "deleted", true);
        }
    }
}

package dev.kv.cli;

import dev.kv.CasResult;
import dev.kv.Entry;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands on entries: the seed's get, list, put, patch, delete and count, and kv's own. */
final class EntryCommands {

    private EntryCommands() {}

    /** The page of a listing: an offset and a limit, or every entry. */
    static final class Page {
        @Option(names = "--offset", defaultValue = "0", description = "Entries to skip. Default: ${DEFAULT-VALUE}.")
        long offset;

        @Option(names = "--limit", description = "At most this many entries. Default: all.")
        Integer limit;

        /** The entries {@code options} selects, paged: all of them a thousand at a time when no limit is given. */
        List<Entry> scan(KvStore store, ScanOptions options) {
            if (limit != null) {
                return store.scan(options.offset(offset).limit(limit));
            }
            List<Entry> all = new ArrayList<>();
            ScanOptions page = options.offset(offset).limit(1000);
            while (true) {
                List<Entry> entries = store.scan(page);
                all.addAll(entries);
                if (entries.size() < 1000) {
                    return all;
                }
                page = options.limit(1000).after(entries.get(entries.size() - 1).key());
            }
        }
    }

    @Command(
            name = "get",
            description = "Get a key, or the entries of a prefix or range.",
            mixinStandardHelpOptions = true,
            subcommands = {GetKey.class, GetPrefix.class, GetRange.class})
    static final class Get {}

    @Command(name = "key", description = "Get a key: its value (--json: the entry). Exit 1 if absent.")
    static final class GetKey extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Override
        void run(KvStore store, Output output) {
            output.entry(
                    store.getEntry(key).orElseThrow(() -> Failures.notFound("key \"" + key + "\" not found")), true);
        }
    }

    @Command(name = "prefix", description = "Get the entries whose key starts with a prefix, in key order.")
    static final class GetPrefix extends StoreCommand {
        @Option(names = "--prefix", required = true)
        String prefix;

        @ArgGroup(exclusive = false)
        Page page = new Page();

        @Override
        void run(KvStore store, Output output) {
            output.entries(page.scan(store, ScanOptions.prefix(prefix)));
        }
    }

    @Command(name = "range", description = "Get the entries with keys from --from (inclusive) to --to (exclusive).")
    static final class GetRange extends StoreCommand {
        @Option(names = "--from", required = true)
        String from;

        @Option(names = "--to", required = true)
        String to;

        @ArgGroup(exclusive = false)
        Page page = new Page();

        @Override
        void run(KvStore store, Output output) {
            output.entries(page.scan(store, ScanOptions.range(from, to)));
        }
    }

    @Command(name = "list", description = "List the entries, in key order: key, version, value.")
    static final class ListEntries extends StoreCommand {
        @ArgGroup(exclusive = false)
        Page page = new Page();

        @Override
        void run(KvStore store, Output output) {
            output.entries(page.scan(store, ScanOptions.all()));
        }
    }

    @Command(
            name = "put",
            description = "Put a key; the value (JSON) comes from --value or stdin. With --version, only over that"
                    + " version (0: only if absent); exit 3 if another.")
    static final class Put extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Option(names = "--version", description = "The version the entry must have (0: absent).")
        Long version;

        @Option(names = "--value", description = "The value; default: stdin.")
        String value;

        @Override
        void run(KvStore store, Output output) {
            byte[] bytes = valueOf(value);
            if (version == null) {
                store.set(key, bytes);
                long written = store.getEntry(key).map(Entry::version).orElse(0L);
                output.result("ok", "key", key, "version", written);
            } else {
                long written = store.setIfVersion(key, bytes, version);
                output.result("ok", "key", key, "version", written);
            }
        }
    }

    @Command(
            name = "set",
            description = "Set a key, with --ttl to expire it; the value (JSON) comes from --value or stdin.")
    static final class Set extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Option(names = "--ttl", converter = Durations.class, description = "Expire after this long, e.g. 10m.")
        Duration ttl;

        @Option(names = "--value", description = "The value; default: stdin.")
        String value;

        @Override
        void run(KvStore store, Output output) {
            byte[] bytes = valueOf(value);
            if (ttl == null) {
                store.set(key, bytes);
            } else {
                store.set(key, bytes, ttl);
            }
            output.result("ok", "key", key);
        }
    }

    @Command(
            name = "patch",
            description =
                    "Merge a JSON merge patch (RFC 7396; --value or stdin) into a key's value (an absent key: into"
                            + " nothing); prints the result.")
    static final class Patch extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Option(names = "--version", description = "The version the entry must have.")
        Long version;

        @Option(names = "--value", description = "The patch; default: stdin.")
        String value;

        @Override
        void run(KvStore store, Output output) {
            byte[] patch = valueOf(value);
            byte[] merged = version == null ? store.patch(key, patch) : store.patch(key, patch, version);
            output.result(new String(merged, StandardCharsets.UTF_8), "key", key, "value", Output.value(merged));
        }
    }

    @Command(
            name = "delete",
            description = "Delete a key (kv delete <key>), or the entries of a prefix or range.",
            subcommands = {DeleteKey.class, DeletePrefix.class, DeleteRange.class})
    static final class Delete extends StoreCommand {
        @Parameters(
                arity = "0..1",
                paramLabel = "<key>",
                description = "The key to delete (kv delete key --key <key>).")
        String key;

        @Override
        void run(KvStore store, Output output) {
            if (key == null) {
                throw Failures.badInput(
                        "delete what? kv delete <key>, or kv delete key|prefix|range (see kv delete --help)");
            }
            DeleteKey.delete(store, output, key);
        }
    }

    @Command(name = "key", description = "Delete a key. Exit 1 if it was absent.")
    static final class DeleteKey extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Override
        void run(KvStore store, Output output) {
            delete(store, output, key);
        }

        static void delete(KvStore store, Output output, String key) {
            if (!store.delete(key)) {
                throw Failures.notFound("key \"" + key + "\" not found");
            }
            output.result("deleted", "key", key, "deleted", 1);
        }
    }

    @Command(name = "prefix", description = "Delete the entries whose key starts with a prefix; prints how many.")
    static final class DeletePrefix extends StoreCommand {
        @Option(names = "--prefix", required = true)
        String prefix;

        @Override
        void run(KvStore store, Output output) {
            long deleted = store.deletePrefix(prefix);
            output.result(Long.toString(deleted), "deleted", deleted);
        }
    }

    @Command(name = "range", description = "Delete the entries from --from (inclusive) to --to (exclusive).")
    static final class DeleteRange extends StoreCommand {
        @Option(names = "--from", required = true)
        String from;

        @Option(names = "--to", required = true)
        String to;

        @Override
        void run(KvStore store, Output output) {
            long deleted = store.deleteRange(from, to);
            output.result(Long.toString(deleted), "deleted", deleted);
        }
    }

    @Command(
            name = "count",
            description = "Count entries: all, of a prefix, or of a range.",
            mixinStandardHelpOptions = true,
            subcommands = {CountAll.class, CountPrefix.class, CountRange.class})
    static final class Count {}

    @Command(name = "all", description = "Count the entries.")
    static final class CountAll extends StoreCommand {
        @Override
        void run(KvStore store, Output output) {
            long count = store.count(ScanOptions.all());
            output.result(Long.toString(count), "count", count);
        }
    }

    @Command(name = "prefix", description = "Count the entries whose key starts with a prefix.")
    static final class CountPrefix extends StoreCommand {
        @Option(names = "--prefix", required = true)
        String prefix;

        @Override
        void run(KvStore store, Output output) {
            long count = store.count(ScanOptions.prefix(prefix));
            output.result(Long.toString(count), "count", count);
        }
    }

    @Command(name = "range", description = "Count the entries from --from (inclusive) to --to (exclusive).")
    static final class CountRange extends StoreCommand {
        @Option(names = "--from", required = true)
        String from;

        @Option(names = "--to", required = true)
        String to;

        @Override
        void run(KvStore store, Output output) {
            long count = store.count(ScanOptions.range(from, to));
            output.result(Long.toString(count), "count", count);
        }
    }

    @Command(
            name = "ttl",
            description =
                    "The time a key has left, in whole seconds rounded up; -1 if it never expires. Exit 1 if absent.")
    static final class TimeToLive extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Override
        void run(KvStore store, Output output) {
            Ttl ttl = store.ttl(key);
            if (!ttl.exists()) {
                throw Failures.notFound("key \"" + key + "\" not found");
            }
            long seconds = ttl.remaining()
                    .map(left -> left.plusNanos(999_999_999).getSeconds())
                    .orElse(-1L);
            output.result(
                    Long.toString(seconds),
                    "key",
                    key,
                    "seconds",
                    seconds,
                    "millis",
                    ttl.remaining().map(Duration::toMillis).orElse(null));
        }
    }

    @Command(name = "expire", description = "Make a key expire after --ttl. Exit 1 if absent.")
    static final class Expire extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Option(names = "--ttl", required = true, converter = Durations.class, description = "e.g. 10m, 30s, 1h")
        Duration ttl;

        @Override
        void run(KvStore store, Output output) {
            if (!store.expire(key, ttl)) {
                throw Failures.notFound("key \"" + key + "\" not found");
            }
            output.result("ok", "key", key);
        }
    }

    @Command(name = "persist", description = "Make a key never expire. Exit 1 if absent or already persistent.")
    static final class Persist extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Override
        void run(KvStore store, Output output) {
            if (!store.persist(key)) {
                throw Failures.notFound("key \"" + key + "\" not found or without a ttl");
            }
            output.result("ok", "key", key);
        }
    }

    @Command(name = "incr", description = "Add --by (default 1) to a counter, created at 0; prints the new value.")
    static final class Increment extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Option(names = "--by", defaultValue = "1")
        long by;

        @Override
        void run(KvStore store, Output output) {
            long value = store.increment(key, by);
            output.result(Long.toString(value), "key", key, "value", value);
        }
    }

    @Command(
            name = "decr",
            description = "Subtract --by (default 1) from a counter, created at 0; prints the new value.")
    static final class Decrement extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Option(names = "--by", defaultValue = "1")
        long by;

        @Override
        void run(KvStore store, Output output) {
            long value = store.decrement(key, by);
            output.result(Long.toString(value), "key", key, "value", value);
        }
    }

    @Command(
            name = "cas",
            description = "Compare and swap: set the value (--value or stdin) only if the key holds --expected."
                    + " Exit 3 if it holds another value (printed), 1 if absent.")
    static final class CompareAndSwap extends StoreCommand {
        @Option(names = "--key", required = true)
        String key;

        @Option(names = "--expected", required = true, description = "The value the key must hold.")
        String expected;

        @Option(names = "--value", description = "The new value; default: stdin.")
        String value;

        @Override
        void run(KvStore store, Output output) {
            CasResult result = store.compareAndSwap(key, expected.getBytes(StandardCharsets.UTF_8), valueOf(value));
            switch (result.outcome()) {
                case SWAPPED -> output.result("swapped", "key", key, "swapped", true);
                case NOT_FOUND -> throw Failures.notFound("key \"" + key + "\" not found");
                case MISMATCH ->
                    throw Failures.conflict("key \"" + key + "\" holds "
                            + result.current()
                                    .map(current -> new String(current, StandardCharsets.UTF_8))
                                    .orElse("another value"));
            }
        }
    }
}

package dev.kv.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kv.Entry;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Setting up, looking at, and moving a whole store. */
final class AdminCommands {

    private AdminCommands() {}

    @Command(
            name = "init",
            description = "Create the store's table and change stream (a new data.db file by default); a no-op when"
                    + " they exist.")
    static final class Init extends StoreCommand {
        @Override
        boolean initialises() {
            return true;
        }

        @Override
        void run(KvStore store, Output output) {
            output.result("initialised", "initialised", true);
        }
    }

    @Command(name = "stats", description = "The live entries and the bytes of their values.")
    static final class Stats extends StoreCommand {
        @Override
        void run(KvStore store, Output output) {
            KvStats stats = store.stats();
            output.result(
                    "entries " + stats.entryCount() + "\tvalueBytes " + stats.totalValueBytes(),
                    "entries",
                    stats.entryCount(),
                    "valueBytes",
                    stats.totalValueBytes());
        }
    }

    /** Progress of a long export or import on stderr, only when a person watches a terminal. */
    static final class Progress {
        private final String verb;
        private final boolean shown = System.console() != null;
        private long count;

        Progress(String verb) {
            this.verb = verb;
        }

        void add(long entries) {
            long before = count;
            count += entries;
            if (shown && count / 10_000 != before / 10_000) {
                System.err.print("\r" + verb + " " + count + " entries");
            }
        }

        long done() {
            if (shown && count >= 10_000) {
                System.err.println("\r" + verb + " " + count + " entries");
            }
            return count;
        }
    }

    @Command(
            name = "export",
            description = "Write the entries as JSON Lines, one {\"key\", \"value\", \"expiresAt\"} per line, in key"
                    + " order; gzip with --gzip or a file name ending in .gz.")
    static final class Export extends StoreCommand {
        @Option(names = "--file", description = "Default: stdout.")
        Path file;

        @Option(names = "--gzip", description = "Compress with gzip.")
        boolean gzip;

        @Option(names = "--prefix", defaultValue = "", description = "Only keys starting with this.")
        String prefix;

        @Override
        void run(KvStore store, Output output) {
            boolean compressed = gzip || (file != null && file.toString().endsWith(".gz"));
            Progress progress = new Progress("exported");
            try (OutputStream target = open(compressed);
                    JsonGenerator json = Output.JSON.getFactory().createGenerator(target)) {
                ScanOptions page = ScanOptions.prefix(prefix).limit(Import.BATCH);
                while (true) {
                    List<Entry> entries = store.scan(page);
                    for (Entry entry : entries) {
                        write(json, entry);
                    }
                    progress.add(entries.size());
                    if (entries.size() < Import.BATCH) {
                        break;
                    }
                    page = ScanOptions.prefix(prefix)
                            .limit(Import.BATCH)
                            .after(entries.get(entries.size() - 1).key());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the export", e);
            }
            long count = progress.done();
            if (file != null) {
                output.result(Long.toString(count), "exported", count);
            }
        }

        private OutputStream open(boolean compressed) throws IOException {
            OutputStream target = file == null ? nonClosing(System.out) : Files.newOutputStream(file);
            return compressed
                    ? new GZIPOutputStream(target, 1 << 16)
                    : new java.io.BufferedOutputStream(target, 1 << 16);
        }

        private static OutputStream nonClosing(OutputStream out) {
            return new java.io.FilterOutputStream(out) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }

        /** A value that is JSON goes in as it is; another (a BYTEA store's) as a string. */
        private static void write(JsonGenerator json, Entry entry) throws IOException {
            json.writeStartObject();
            json.writeStringField("key", entry.key());
            json.writeFieldName("value");
            json.writeTree(Output.value(entry.value()));
            if (entry.expiresAt().isPresent()) {
                json.writeStringField("expiresAt", entry.expiresAt().get().toString());
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    @Command(
            name = "import",
            description = "Set the entries of JSON Lines as export writes them (gzip or not), ten thousand per"
                    + " transaction; an entry with an expiresAt in the past is skipped. Prints how many were set.")
    static final class Import extends StoreCommand {
        @Option(names = "--file", description = "Default: stdin.")
        Path file;

        @Override
        void run(KvStore store, Output output) {
            Progress progress = new Progress("imported");
            long skipped = 0;
            try (BufferedReader lines = reader()) {
                Batch batch = new Batch();
                String line;
                long number = 0;
                while ((line = lines.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode record = parse(line, number);
                    String key = record.path("key").asText(null);
                    JsonNode value = record.get("value");
                    if (key == null || value == null) {
                        throw Failures.badInput("line " + number + " has no \"key\" or no \"value\"");
                    }
                    byte[] bytes = Output.JSON.writeValueAsBytes(value);
                    JsonNode expiresAt = record.get("expiresAt");
                    if (expiresAt == null || expiresAt.isNull()) {
                        batch.add(key, bytes, null);
                    } else {
                        Duration ttl = Duration.between(Instant.now(), Instant.parse(expiresAt.asText()));
                        if (ttl.isNegative() || ttl.isZero()) {
                            skipped++;
                            continue;
                        }
                        batch.add(key, bytes, ttl);
                    }
                    if (batch.size() == BATCH) {
                        progress.add(batch.write(store));
                    }
                }
                progress.add(batch.write(store));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + (file == null ? "stdin" : file.toString()), e);
            }
            long count = progress.done();
            output.result(Long.toString(count), "imported", count, "skippedExpired", skipped);
        }

        /** Entries per transaction: few round trips and commits, a bounded memory. */
        static final int BATCH = 10_000;

        /** The entries of one transaction, the last line of a key winning as it would line by line. */
        private static final class Batch {
            private final Map<String, byte[]> persistent = new LinkedHashMap<>();
            private final Map<String, Map.Entry<byte[], Duration>> expiring = new LinkedHashMap<>();

            void add(String key, byte[] value, Duration ttl) {
                if (ttl == null) {
                    expiring.remove(key);
                    persistent.put(key, value);
                } else {
                    persistent.remove(key);
                    expiring.put(key, Map.entry(value, ttl));
                }
            }

            int size() {
                return persistent.size() + expiring.size();
            }

            /** Writes the entries in one transaction and empties the batch; how many. */
            int write(KvStore store) {
                int size = size();
                if (size == 0) {
                    return 0;
                }
                store.inTransaction(tx -> {
                    if (!persistent.isEmpty()) {
                        tx.setMany(persistent);
                    }
                    expiring.forEach((key, entry) -> tx.set(key, entry.getKey(), entry.getValue()));
                    return null;
                });
                persistent.clear();
                expiring.clear();
                return size;
            }
        }

        private static JsonNode parse(String line, long number) {
            try {
                return Output.JSON.readTree(line);
            } catch (IOException e) {
                throw Failures.badInput("line " + number + " is no JSON: " + e.getMessage());
            }
        }

        private BufferedReader reader() throws IOException {
            InputStream in = new BufferedInputStream(file == null ? System.in : Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int first = in.read();
            int second = in.read();
            in.reset();
            if (first == 0x1f && second == 0x8b) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        }
    }

    @Command(
            name = "completion",
            mixinStandardHelpOptions = true,
            description = "Print a bash (and zsh) completion script: source <(kv completion)")
    static final class Completion implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            System.out.print(AutoComplete.bash("kv", spec.root().commandLine()));
            return ExitCodes.DONE;
        }
    }
}

package dev.kv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on SQLite, the default store, in a temporary file; and what the command line does alike on every
 * backend: paging, versions, patches, compare-and-swap, TTLs, counters, the change stream, bad input.
 */
class CommandsOnSqliteIT extends CommandsContract {

    @TempDir
    Path directory;

    @Override
    protected Launcher freshStore() {
        return new Launcher("--connection", "file:" + directory.resolve("data.db") + "?mode=rwc");
    }

    @Test
    void theDefaultStoreIsDataDbInTheWorkingDirectory() throws Exception {
        Process init = new ProcessBuilder(
                        Path.of(System.getProperty("kv.launcher")).toString(), "init")
                .directory(directory.toFile())
                .start();
        assertThat(init.waitFor()).isZero();
        assertThat(directory.resolve("data.db")).exists();
    }

    @Test
    void aStoreNotInitialisedOrNotReachableIsUnavailable() {
        new Launcher("--connection", "file:" + directory.resolve("other.db"))
                .run("get", "key", "--key", "k")
                .exits(ExitCodes.UNAVAILABLE);
        new Launcher("--connection", directory.resolve("missing/dir/data.db").toString())
                .run("init")
                .exits(ExitCodes.UNAVAILABLE);
        new Launcher("--type", "postgres", "--connection", "jdbc:postgresql://127.0.0.1:1/none?user=nobody")
                .run("count", "all")
                .exits(ExitCodes.UNAVAILABLE);
    }

    @Test
    void theLauncherPrintsHelpAndCompletion() {
        assertThat(kv.run("--help").succeeds().out())
                .startsWith("Usage: kv")
                .contains("Exit codes:", "--type", "--connection", "--json");
        assertThat(kv.run("completion").succeeds().out()).contains("complete -F", "kv");
    }

    @Test
    void prefixesAndRangesAreReadCountedAndDeleted() {
        for (String key : List.of("a1", "a2", "b1")) {
            kv.run("put", "--key", key, "--value", "\"" + key + "\"").succeeds();
        }
        assertThat(keys(kv.run("get", "prefix", "--prefix", "a", "--json")
                        .succeeds()
                        .json()))
                .containsExactly("a1", "a2");
        assertThat(keys(kv.run("get", "range", "--from", "a2", "--to", "b2", "--json")
                        .succeeds()
                        .json()))
                .containsExactly("a2", "b1");
        assertThat(keys(kv.run("list", "--offset", "1", "--limit", "1", "--json")
                        .succeeds()
                        .json()))
                .containsExactly("a2");
        assertThat(kv.run("count", "all").succeeds().line()).isEqualTo("3");
        assertThat(kv.run("count", "prefix", "--prefix", "a", "--json")
                        .succeeds()
                        .json()
                        .get("count")
                        .asLong())
                .isEqualTo(2);
        assertThat(kv.run("count", "range", "--from", "a2", "--to", "c")
                        .succeeds()
                        .line())
                .isEqualTo("2");
        assertThat(kv.run("delete", "prefix", "--prefix", "a").succeeds().line())
                .isEqualTo("2");
        assertThat(kv.run("delete", "range", "--from", "b", "--to", "c")
                        .succeeds()
                        .line())
                .isEqualTo("1");
        assertThat(kv.run("count", "all").succeeds().line()).isEqualTo("0");
    }

    @Test
    void versionsPatchesAndCompareAndSwap() {
        assertThat(kv.run("put", "--key", "k", "--version", "0", "--value", "{\"a\":1}", "--json")
                        .succeeds()
                        .json()
                        .get("version")
                        .asLong())
                .isEqualTo(1);
        kv.run("put", "--key", "k", "--version", "0", "--value", "{\"a\":2}").exits(ExitCodes.CONFLICT);
        kv.run("put", "--key", "k", "--version", "1", "--value", "{\"a\":2}").succeeds();
        JsonNode patched =
                parse(kv.pipe("{\"b\":3}", "patch", "--key", "k").succeeds().line());
        assertThat(patched.get("a").asInt()).isEqualTo(2);
        assertThat(patched.get("b").asInt()).isEqualTo(3);
        assertThat(kv.run("patch", "--key", "absent", "--value", "{\"c\":1}")
                        .succeeds()
                        .line())
                .isEqualTo("{\"c\":1}");
        kv.run("put", "--key", "c", "--value", "\"x\"").succeeds();
        Launcher.Run mismatch = kv.run("cas", "--key", "c", "--expected", "\"y\"", "--value", "\"z\"");
        mismatch.exits(ExitCodes.CONFLICT);
        assertThat(mismatch.err()).contains("\"x\"");
        kv.pipe("\"z\"", "cas", "--key", "c", "--expected", "\"x\"").succeeds();
        assertThat(kv.run("get", "key", "--key", "c").succeeds().line()).isEqualTo("\"z\"");
        kv.run("cas", "--key", "nope", "--expected", "1", "--value", "2").exits(ExitCodes.NOT_FOUND);
    }

    @Test
    void badInputIsRefusedWithItsExitCode() {
        kv.run("put", "--key", "k", "--value", "{not json").exits(ExitCodes.BAD_INPUT);
        kv.run("put", "--key", "", "--value", "1").exits(ExitCodes.BAD_INPUT);
        kv.run("get", "key").exits(ExitCodes.BAD_INPUT);
        kv.run("frobnicate").exits(ExitCodes.BAD_INPUT);
        kv.run("import", "--file", "/nonexistent/file.jsonl").exits(ExitCodes.BAD_INPUT);
        assertThat(kv.run("count", "all").succeeds().line()).isEqualTo("0");
    }

    @Test
    void ttlsAndCounters() {
        kv.run("set", "--key", "s", "--value", "1", "--ttl", "1h").succeeds();
        assertThat(Long.parseLong(kv.run("ttl", "--key", "s").succeeds().line()))
                .isBetween(3000L, 3600L);
        kv.run("persist", "--key", "s").succeeds();
        assertThat(kv.run("ttl", "--key", "s").succeeds().line()).isEqualTo("-1");
        kv.run("expire", "--key", "s", "--ttl", "10m").succeeds();
        assertThat(kv.run("ttl", "--key", "s", "--json")
                        .succeeds()
                        .json()
                        .get("seconds")
                        .asLong())
                .isBetween(1L, 600L);
        kv.run("ttl", "--key", "absent").exits(ExitCodes.NOT_FOUND);
        kv.run("expire", "--key", "absent", "--ttl", "1m").exits(ExitCodes.NOT_FOUND);
        kv.run("expire", "--key", "s", "--ttl", "ten minutes").exits(ExitCodes.BAD_INPUT);
        assertThat(kv.run("incr", "--key", "n", "--by", "5").succeeds().line()).isEqualTo("5");
        assertThat(kv.run("decr", "--key", "n", "--json")
                        .succeeds()
                        .json()
                        .get("value")
                        .asLong())
                .isEqualTo(4);
        kv.run("put", "--key", "o", "--value", "{\"a\":1}").succeeds();
        kv.run("incr", "--key", "o").exits(ExitCodes.REFUSED);
        kv.run("incr", "--key", "n", "--by", "9223372036854775807").exits(ExitCodes.REFUSED);
        JsonNode stats = kv.run("stats", "--json").succeeds().json();
        assertThat(stats.get("entries").asLong()).isEqualTo(3);
        assertThat(stats.get("valueBytes").asLong()).isPositive();
    }

    @Test
    void theChangeStreamAndItsConsumers() {
        long start = Long.parseLong(kv.run("stream", "seq").succeeds().line());
        kv.run("put", "--key", "x", "--value", "1").succeeds();
        kv.run("delete", "x").succeeds();
        JsonNode changes = kv.run("stream", "get", Long.toString(start), "10", "--json")
                .succeeds()
                .json();
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("type").asText()).isEqualTo("SET");
        assertThat(changes.get(0).get("value").asInt()).isEqualTo(1);
        assertThat(changes.get(1).get("type").asText()).isEqualTo("DELETE");
        long last = changes.get(1).get("seq").asLong();
        assertThat(kv.run("stream", "seq").succeeds().line()).isEqualTo(Long.toString(last));
        kv.run("consumer", "commit", "indexer", Long.toString(last)).succeeds();
        assertThat(kv.run("consumer", "get", "indexer").succeeds().line()).isEqualTo(Long.toString(last));
        JsonNode status =
                kv.run("consumer", "status", "indexer", "--json").succeeds().json();
        assertThat(status.get("lag").asLong()).isZero();
        assertThat(status.get("lastSeq").asLong()).isEqualTo(last);
        kv.run("consumer", "commit", "indexer", Long.toString(last + 5)).exits(ExitCodes.BAD_INPUT);
        kv.run("consumer", "delete", "indexer").succeeds();
        kv.run("consumer", "delete", "indexer").exits(ExitCodes.NOT_FOUND);
        assertThat(kv.run("stream", "trim", Long.toString(last)).succeeds().line())
                .isEqualTo(Long.toString(last));
        assertThat(kv.run("stream", "get", "0", "10", "--json").succeeds().json())
                .isEmpty();
        kv.run("stream", "get", "-1", "10").exits(ExitCodes.BAD_INPUT);
    }
}

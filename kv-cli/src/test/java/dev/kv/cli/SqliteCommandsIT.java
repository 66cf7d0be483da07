package dev.kv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on SQLite, the default store, in a temporary file; and what needs no store. */
class SqliteCommandsIT extends CommandsContract {

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
    void everyCommandHasHelp() {
        List<List<String>> commands = List.of(
                List.of(),
                List.of("init"),
                List.of("get"),
                List.of("get", "key"),
                List.of("get", "prefix"),
                List.of("get", "range"),
                List.of("list"),
                List.of("put"),
                List.of("patch"),
                List.of("delete"),
                List.of("delete", "key"),
                List.of("delete", "prefix"),
                List.of("delete", "range"),
                List.of("count"),
                List.of("count", "all"),
                List.of("count", "prefix"),
                List.of("count", "range"),
                List.of("stream"),
                List.of("stream", "get"),
                List.of("stream", "seq"),
                List.of("stream", "trim"),
                List.of("consumer"),
                List.of("consumer", "get"),
                List.of("consumer", "status"),
                List.of("consumer", "commit"),
                List.of("consumer", "delete"),
                List.of("lock"),
                List.of("lock", "acquire"),
                List.of("lock", "release"),
                List.of("set"),
                List.of("ttl"),
                List.of("expire"),
                List.of("persist"),
                List.of("incr"),
                List.of("decr"),
                List.of("cas"),
                List.of("stats"),
                List.of("export"),
                List.of("import"),
                List.of("completion"));
        for (List<String> command : commands) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            assertThat(kv.run(args).succeeds().out())
                    .as("kv %s --help", command)
                    .startsWith("Usage: kv");
        }
        assertThat(kv.run("--help").out()).contains("Exit codes:", "--type", "--connection", "--json");
        assertThat(kv.run("completion").succeeds().out()).contains("complete -F", "kv");
    }
}

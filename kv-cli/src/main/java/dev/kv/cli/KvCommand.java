package dev.kv.cli;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code kv}: the root command, its global options and its exit codes. */
@Command(
        name = "kv",
        mixinStandardHelpOptions = true,
        version = "kv 0.1.0",
        description = "A key-value store on SQLite (a file, the default), PostgreSQL or memory.",
        subcommands = {
            AdminCommands.Init.class,
            EntryCommands.Get.class,
            EntryCommands.ListEntries.class,
            EntryCommands.Put.class,
            EntryCommands.Patch.class,
            EntryCommands.Delete.class,
            EntryCommands.Count.class,
            StreamCommands.Stream.class,
            StreamCommands.Consumer.class,
            LockCommands.Lock.class,
            EntryCommands.Set.class,
            EntryCommands.TimeToLive.class,
            EntryCommands.Expire.class,
            EntryCommands.Persist.class,
            EntryCommands.Increment.class,
            EntryCommands.Decrement.class,
            EntryCommands.CompareAndSwap.class,
            AdminCommands.Stats.class,
            AdminCommands.Export.class,
            AdminCommands.Import.class,
            AdminCommands.Completion.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:not found (a key, a lock to release, a consumer to delete)",
            "2:bad input (usage, an invalid key, value, pattern or duration, an unreadable file)",
            "3:conflict (another version, a compare-and-swap mismatch, a lock held by another)",
            "4:database unavailable (cannot connect, not initialised: run kv init)",
            "5:refused by the store (a value that is no counter, a counter overflow, a key hash collision)"
        })
public final class KvCommand {

    @Option(
            names = "--type",
            scope = ScopeType.INHERIT,
            defaultValue = "sqlite",
            description = "The store: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Backend type;

    @Option(
            names = "--connection",
            scope = ScopeType.INHERIT,
            description =
                    "sqlite: a file or SQLite URI (default file:data.db); postgres: postgres://user:password@host:port/db"
                            + " or a jdbc:postgresql: URL (default jdbc:postgresql://localhost:5432/postgres?user=postgres);"
                            + " memory: a directory to keep the entries in (default: none, gone when the command ends).")
    String connection;

    @Option(
            names = "--table",
            scope = ScopeType.INHERIT,
            defaultValue = "kv_entry",
            description = "The kv table. Default: ${DEFAULT-VALUE}.")
    String table;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of text.")
    boolean json;

    /** The logging the libraries would print on a terminal: warnings only, kept referenced so it stays set. */
    private static final Logger ROOT_LOG = Logger.getLogger("");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        ROOT_LOG.setLevel(Level.WARNING);
        return commandLine().execute(args);
    }

    /** The command line of {@code kv}: its commands, parsing and exit codes. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new KvCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(Failures::handle);
        commandLine.setExitCodeExceptionMapper(Failures::exitCode);
        return commandLine;
    }

    Session session() {
        return new Session(type, connection, table);
    }

    Output output() {
        return new Output(json);
    }
}

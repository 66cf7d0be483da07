package dev.kv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help, parsed and printed by the command line kv builds, in this JVM: the launcher's own
 * --help and completion run as a process in CommandsOnSqliteIT.
 */
class HelpTest {

    @Test
    void everyCommandHasHelp() {
        List<List<String>> commands = new ArrayList<>();
        collect(KvCommand.commandLine(), List.of(), commands);
        assertThat(commands).hasSizeGreaterThan(30);
        for (List<String> command : commands) {
            CommandLine kv = KvCommand.commandLine();
            StringWriter out = new StringWriter();
            kv.setOut(new PrintWriter(out));
            int exitCode = kv.execute(
                    Stream.concat(command.stream(), Stream.of("--help")).toArray(String[]::new));
            assertThat(exitCode).as("exit code of kv %s --help", command).isZero();
            assertThat(out.toString()).as("kv %s --help", command).startsWith("Usage: kv");
        }
    }

    /** {@code path} and every command below it. */
    private static void collect(CommandLine command, List<String> path, List<List<String>> commands) {
        commands.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) {
                List<String> below = new ArrayList<>(path);
                below.add(name);
                collect(sub, below, commands);
            }
        });
    }
}

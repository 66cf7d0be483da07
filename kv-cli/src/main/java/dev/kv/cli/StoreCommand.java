package dev.kv.cli;

import dev.kv.KvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that runs on the store the global options name, opened for it and closed after it. */
abstract class StoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Override
    public final Integer call() {
        KvCommand root = (KvCommand) spec.root().userObject();
        try (KvStore store = root.session().open(initialises())) {
            run(store, root.output());
        }
        return ExitCodes.DONE;
    }

    /** Whether the command creates the table first ({@code kv init}). */
    boolean initialises() {
        return false;
    }

    abstract void run(KvStore store, Output output);

    /** A value from {@code --value}, or else all of stdin, without the line break that ends it. */
    static byte[] valueOf(String value) {
        if (value != null) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        try {
            byte[] input = System.in.readAllBytes();
            int end = input.length;
            while (end > 0 && (input[end - 1] == '\n' || input[end - 1] == '\r')) {
                end--;
            }
            return java.util.Arrays.copyOf(input, end);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the value from stdin", e);
        }
    }
}

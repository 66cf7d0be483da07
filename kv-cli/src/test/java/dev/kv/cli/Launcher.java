package dev.kv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built launcher, target/kv, as a child process on one store, as a user's shell would. */
final class Launcher {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What a run printed and how it ended. */
    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + err, e);
            }
        }

        Run succeeds() {
            assertThat(exitCode)
                    .as("exit code of a run printing %s%s", out, err)
                    .isZero();
            return this;
        }

        Run exits(int expected) {
            assertThat(exitCode)
                    .as("exit code of a run printing %s%s", out, err)
                    .isEqualTo(expected);
            return this;
        }

        String line() {
            return out.strip();
        }
    }

    private final Path launcher = Path.of(System.getProperty("kv.launcher", "target/kv"));
    private final List<String> store;

    /** {@code store}: the global options that name the store, e.g. --type postgres --connection …. */
    Launcher(String... store) {
        this.store = List.of(store);
        assertThat(launcher).as("the launcher, built by mvn package").isExecutable();
    }

    Run run(String... args) {
        return run(null, args);
    }

    /** Runs {@code kv args… <store options>} with {@code stdin} piped in (null: none). */
    Run run(byte[] stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        command.addAll(store);
        try {
            Path out = Files.createTempFile("kv-out", ".txt");
            Path err = Files.createTempFile("kv-err", ".txt");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                }
                Process process = builder.start();
                if (stdin != null) {
                    try (var in = process.getOutputStream()) {
                        in.write(stdin);
                    }
                }
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("kv " + String.join(" ", args) + " did not end in 5 minutes");
                }
                return new Run(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Run pipe(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }
}

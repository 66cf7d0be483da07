package dev.kv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commands of {@code kv} that wire a backend into the launcher (init and its migrations, reads,
 * writes and deletes, locks), run through the built launcher as a child process on one store; the
 * runners supply the store (a temporary SQLite file, a PostgreSQL table). Output is read as a person
 * sees it and, with --json, parsed back. Every other command runs on SQLite ({@link CommandsOnSqliteIT}):
 * what it does in the store is the backend's, which the contract kit checks on every backend, and a
 * PostgreSQL process pays Hibernate's start-up (seconds) on every command.
 */
abstract class CommandsContract {

    protected Launcher kv;

    /** The launcher on a fresh, initialised store. */
    protected abstract Launcher freshStore();

    @BeforeEach
    void initialise() {
        kv = freshStore();
        assertThat(kv.run("init").succeeds().line()).isEqualTo("initialised");
    }

    static List<String> keys(JsonNode entries) {
        return StreamSupport.stream(entries.spliterator(), false)
                .map(entry -> entry.get("key").asText())
                .toList();
    }

    @Test
    void theSeedsExampleRunsAsWritten() {
        kv.pipe("{\"hello\": \"world\"}\n", "put", "--key", "hello").succeeds();
        JsonNode value = parse(kv.run("get", "key", "--key", "hello").succeeds().line());
        assertThat(value.get("hello").asText()).isEqualTo("world");
        JsonNode entry =
                kv.run("get", "key", "--key", "hello", "--json").succeeds().json();
        assertThat(entry.get("key").asText()).isEqualTo("hello");
        assertThat(entry.get("version").asLong()).isEqualTo(1);
        assertThat(entry.get("value").get("hello").asText()).isEqualTo("world");
        assertThat(kv.run("list").succeeds().line()).startsWith("hello\t1\t");
        kv.run("delete", "hello").succeeds();
        kv.run("get", "key", "--key", "hello").exits(ExitCodes.NOT_FOUND);
        kv.run("delete", "hello").exits(ExitCodes.NOT_FOUND);
        kv.run("delete", "key", "--key", "hello").exits(ExitCodes.NOT_FOUND);
    }

    @Test
    void locksAreLeasedToOneOwner() {
        long first = kv.run("lock", "acquire", "job", "me", "--duration=10m", "--json")
                .succeeds()
                .json()
                .get("token")
                .asLong();
        kv.run("lock", "acquire", "job", "you").exits(ExitCodes.CONFLICT);
        kv.run("lock", "release", "job", "you").exits(ExitCodes.NOT_FOUND);
        kv.run("lock", "release", "job", "me").succeeds();
        JsonNode taken =
                kv.run("lock", "acquire", "job", "you", "--json").succeeds().json();
        assertThat(taken.get("acquired").asBoolean()).isTrue();
        assertThat(taken.get("token").asLong())
                .as("the fencing token of a later take")
                .isGreaterThan(first);
    }

    static JsonNode parse(String json) {
        try {
            return Launcher.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}

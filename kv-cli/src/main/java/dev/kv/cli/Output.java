package dev.kv.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kv.Change;
import dev.kv.Entry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What a command prints on stdout: text for people, or with {@code --json} one JSON document for scripts. */
final class Output {

    static final ObjectMapper JSON = new ObjectMapper();

    private final boolean json;
    private final PrintStream out = System.out;

    Output(boolean json) {
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A JSON value as a node, or, if it is not JSON (a value of a BYTEA store), as a string. */
    static JsonNode value(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            return JSON.getNodeFactory().textNode(new String(value, StandardCharsets.UTF_8));
        }
    }

    static ObjectNode entry(Entry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", entry.key());
        node.put("version", entry.version());
        node.set("value", value(entry.value()));
        node.put("createdAt", entry.createdAt().toString());
        node.put("updatedAt", entry.updatedAt().toString());
        node.put("expiresAt", entry.expiresAt().map(Object::toString).orElse(null));
        return node;
    }

    static ObjectNode change(Change change) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", change.seq());
        node.put("key", change.key());
        node.put("type", change.type().name());
        node.put("version", change.version());
        node.set("value", change.value().map(Output::value).orElse(null));
        node.put("expiresAt", change.expiresAt().map(Object::toString).orElse(null));
        node.put("at", change.at().toString());
        return node;
    }

    /** One entry: its value as text; with --json, the whole entry. */
    void entry(Entry entry, boolean valueOnly) {
        if (json) {
            print(entry(entry));
        } else if (valueOnly) {
            out.println(new String(entry.value(), StandardCharsets.UTF_8));
        } else {
            out.println(
                    entry.key() + "\t" + entry.version() + "\t" + new String(entry.value(), StandardCharsets.UTF_8));
        }
    }

    /** Entries, one line each (key, version, value); with --json, an array. */
    void entries(List<Entry> entries) {
        if (json) {
            ArrayNode array = JSON.createArrayNode();
            entries.forEach(entry -> array.add(entry(entry)));
            print(array);
        } else {
            entries.forEach(entry -> entry(entry, false));
        }
    }

    void changes(List<Change> changes) {
        if (json) {
            ArrayNode array = JSON.createArrayNode();
            changes.forEach(change -> array.add(change(change)));
            print(array);
        } else {
            for (Change change : changes) {
                out.println(change.seq() + "\t" + change.type() + "\t" + change.key() + "\t" + change.version()
                        + change.value()
                                .map(value -> "\t" + new String(value, StandardCharsets.UTF_8))
                                .orElse(""));
            }
        }
    }

    /** A result: {@code text} for people, the object {@code {name: value, …}} for scripts. */
    void result(String text, Object... namesAndValues) {
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                node.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
            }
            print(node);
        } else {
            out.println(text);
        }
    }

    private void print(JsonNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

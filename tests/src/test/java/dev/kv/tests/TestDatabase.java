package dev.kv.tests;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kv.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Pools and statements on the test database ({@link TestPostgres}: KV_TEST_JDBC_URL or an embedded server). */
final class TestDatabase {

    private static TestDatabase instance;

    private final TestPostgres postgres;

    private TestDatabase(TestPostgres postgres) {
        this.postgres = postgres;
    }

    static synchronized TestDatabase get() {
        if (instance == null) {
            instance = new TestDatabase(TestPostgres.get());
        }
        return instance;
    }

    String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    String user() {
        return postgres.user();
    }

    String password() {
        return postgres.password();
    }

    /** A new HikariCP pool on the test database, in autocommit, as a Java SE application would have. */
    HikariDataSource newPool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
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

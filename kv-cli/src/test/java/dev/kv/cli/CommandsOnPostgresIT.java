package dev.kv.cli;

import dev.kv.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The commands that wire the backend in, on PostgreSQL (KV_TEST_JDBC_URL, or an embedded server), each case on a
 * table of its own.
 */
class CommandsOnPostgresIT extends CommandsContract {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private String table;

    @Override
    protected Launcher freshStore() {
        table = "cli_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
        return new Launcher("--type", "postgres", "--connection", postgresUrl(), "--table", table);
    }

    @AfterEach
    void dropTable() {
        dropTables(table);
    }

    /** The test database as --connection takes it: a JDBC URL with the user and password as parameters. */
    static String postgresUrl() {
        TestPostgres postgres = TestPostgres.get();
        String url = postgres.jdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "user=" + postgres.user()
                + (postgres.password() == null || postgres.password().isEmpty()
                        ? ""
                        : "&password=" + postgres.password());
    }

    /** Leaves nothing of a table behind on a test database that outlives test runs. */
    static void dropTables(String table) {
        TestPostgres postgres = TestPostgres.get();
        try (Connection connection =
                        DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement statement = connection.createStatement()) {
            for (String suffix : new String[] {"", "_stream", "_consumer", "_changelog", "_changelog_lock"}) {
                statement.execute("DROP TABLE IF EXISTS public.\"" + table + suffix + "\" CASCADE");
            }
            statement.execute("DROP FUNCTION IF EXISTS public.\"" + table + "_stream_capture\"() CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop " + table, e);
        }
    }
}

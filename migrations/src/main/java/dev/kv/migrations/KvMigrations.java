package dev.kv.migrations;

import dev.kv.internal.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.FastCheckService;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Applies kv's Liquibase changelog from code, e.g. at application start-up. The same changelog
 * runs from the Liquibase Maven plugin or CLI (see README).
 *
 * <p>Each kv table has its own Liquibase history, in {@code <table>_changelog} and
 * {@code <table>_changelog_lock} beside it, so the changelog can create many kv tables in one
 * database and roll each back alone.
 */
public final class KvMigrations {

    /** Classpath location of the changelog. */
    public static final String CHANGELOG = "dev/kv/migrations/changelog.xml";

    /**
     * Liquibase remembers, for the rest of the JVM's life, that a changelog was up to date, keyed by database URL,
     * default schema and changelog path: not by the history table nor the parameters, which tell kv's tables apart,
     * and a rollback does not forget it. An update of one table, or one after a rollback, would then skip every
     * change set. So each update forgets it first, and kv's runs take turns so that no other table's check lands in
     * between.
     */
    private static final Object RUNS = new Object();

    private KvMigrations() {}

    /** Creates the schema, the table and its indexes where they do not exist yet; a no-op when they do. */
    public static void update(DataSource dataSource, KvTableDefinition table) {
        run(dataSource, table, liquibase -> {
            Scope.getCurrentScope().getSingleton(FastCheckService.class).clearCache();
            liquibase.update(new Contexts(), new LabelExpression());
        });
    }

    /** The Liquibase history table of a kv table. */
    public static String historyTable(KvTableDefinition table) {
        return table.table() + "_changelog";
    }

    /** Rolls back every change the changelog made for this table: drops its indexes and the table. */
    public static void rollback(DataSource dataSource, KvTableDefinition table) {
        run(dataSource, table, liquibase -> liquibase.rollback(Integer.MAX_VALUE, null));
    }

    /**
     * Liquibase keeps the history in the table's schema, so the schema comes first. Only when it is
     * missing: {@code CREATE SCHEMA IF NOT EXISTS} needs the CREATE privilege on the database even
     * when the schema exists, which a role that may only create tables in it lacks.
     */
    private static void createSchemaIfAbsent(Connection connection, KvTableDefinition table) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(SCHEMA_EXISTS)) {
            exists.setString(1, table.schema());
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifier.quote(table.schema()));
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static final String SCHEMA_EXISTS = "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?";

    private interface Step {
        void apply(Liquibase liquibase) throws LiquibaseException;
    }

    private static void run(DataSource dataSource, KvTableDefinition table, Step step) {
        synchronized (RUNS) {
            runAlone(dataSource, table, step);
        }
    }

    private static void runAlone(DataSource dataSource, KvTableDefinition table, Step step) {
        Map<String, Object> scope = new HashMap<>();
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new MigrationException(
                    "could not connect to migrate " + table.schema() + "." + table.table() + ": " + reason(e),
                    isTransient(e),
                    e);
        }
        try (connection) {
            createSchemaIfAbsent(connection, table);
            Scope.child(scope, () -> {
                Database database =
                        DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                database.setLiquibaseSchemaName(table.schema());
                database.setDatabaseChangeLogTableName(historyTable(table));
                database.setDatabaseChangeLogLockTableName(historyTable(table) + "_lock");
                Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                table.changelogParameters().forEach(liquibase::setChangeLogParameter);
                step.apply(liquibase);
            });
        } catch (Exception e) {
            throw new MigrationException(
                    "migration of " + table.schema() + "." + table.table() + " failed: " + reason(e),
                    isTransient(e),
                    e);
        }
    }

    /** What the database said, with its SQLSTATE: e.g. a privilege the role lacks, never mistaken for a lost connection. */
    private static String reason(Exception failure) {
        SQLException sql = sqlException(failure);
        if (sql == null) {
            return String.valueOf(failure.getMessage());
        }
        return sql.getMessage() + (sql.getSQLState() == null ? "" : " [SQLSTATE " + sql.getSQLState() + "]");
    }

    /** A lost or refused connection, or a server starting up or out of slots: trying again can help. */
    private static boolean isTransient(Exception failure) {
        SQLException sql = sqlException(failure);
        String state = sql == null ? null : sql.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P03") || state.equals("53300"));
    }

    private static SQLException sqlException(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}

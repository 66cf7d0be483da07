package dev.kv.contract.cdi;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;

/**
 * The test database read and written directly, past kv: what is committed, and who waits for a row
 * lock. Reads run on a thread of their own, outside any transaction of the caller, so they see
 * committed rows only.
 */
public final class DatabaseProbe {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final DataSource dataSource;

    public DatabaseProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The committed rows of {@code table} (a trusted identifier) with this key. */
    public long committedRows(String table, String key) {
        return count("SELECT count(*) FROM " + table + " WHERE key = ?", key);
    }

    /** The committed rows of {@code table} (a trusted identifier). */
    public long committedRows(String table) {
        return count("SELECT count(*) FROM " + table);
    }

    /** Waits until {@code table} has no committed row with this key, or fails after 30 seconds. */
    public void awaitNoRow(String table, String key) {
        await("no row of " + table + " with key " + key).atMost(PATIENCE).until(() -> committedRows(table, key) == 0);
    }

    /** Waits until a backend waits for a row lock taken by SELECT ... FOR UPDATE, or fails after 30 seconds. */
    public void awaitAnUpdateWaitingForARowLock() {
        await("an update waiting for a row lock")
                .atMost(PATIENCE)
                .until(() -> count("SELECT count(*) FROM pg_stat_activity"
                                + " WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'")
                        > 0);
    }

    /** Runs a statement on a connection of its own, outside any transaction. */
    public void execute(String sql) {
        outsideTheCallersTransaction(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement statement = c.prepareStatement(sql)) {
                statement.execute();
                return null;
            }
        });
    }

    private long count(String sql, String... parameters) {
        return outsideTheCallersTransaction(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement statement = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** A JTA data source enlists a connection in the calling thread's transaction: this thread has none. */
    private static <T> T outsideTheCallersTransaction(Work<T> work) {
        try {
            return CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return work.run();
                                } catch (SQLException e) {
                                    throw new CompletionException(e);
                                }
                            },
                            runnable -> new Thread(runnable, "kv-database-probe").start())
                    .join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the test database refused a statement", e.getCause());
        }
    }
}

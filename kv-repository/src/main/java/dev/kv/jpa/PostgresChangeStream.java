package dev.kv.jpa;

import dev.kv.Change;
import dev.kv.ChangeStream;
import dev.kv.ConsumerStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The change stream of a PostgreSQL store: the table {@code <table>_stream} that the trigger of the
 * migrations fills at commit, and the consumer positions in {@code <table>_consumer}. Every method
 * is one statement.
 */
final class PostgresChangeStream extends ChangeStream {

    private final JpaKvStore store;
    private final PostgresStatements sql;
    private final ValueColumn valueColumn;

    PostgresChangeStream(JpaKvStore store, PostgresStatements sql, ValueColumn valueColumn) {
        this.store = store;
        this.sql = sql;
        this.valueColumn = valueColumn;
    }

    @Override
    protected List<Change> changesAfter(long afterSeq, int limit, String keyPrefix) {
        return store.statement("changes.read", c -> {
            try (PreparedStatement select = c.prepareStatement(sql.streamRead)) {
                select.setLong(1, afterSeq);
                select.setString(2, keyPrefix);
                select.setInt(3, limit);
                List<Change> changes = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        changes.add(read(rows));
                    }
                }
                return changes;
            }
        });
    }

    private Change read(ResultSet row) throws SQLException {
        Change.Type type = Change.Type.valueOf(row.getString(3));
        return new Change(
                row.getLong(1),
                row.getString(2),
                type,
                row.getLong(4),
                type == Change.Type.SET ? Optional.of(valueColumn.read(row, 5)) : Optional.empty(),
                Optional.ofNullable(StoredRow.instant(row, 6)),
                StoredRow.instant(row, 7));
    }

    @Override
    public long lastSeq() {
        return store.statement("changes.lastSeq", c -> {
            try (PreparedStatement select = c.prepareStatement(sql.streamLastSeq);
                    ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    @Override
    protected long deleteUpTo(long uptoSeq, String keyPrefix) {
        return store.statement("changes.trim", c -> {
            try (PreparedStatement delete = c.prepareStatement(sql.streamTrim)) {
                delete.setLong(1, uptoSeq);
                delete.setString(2, keyPrefix);
                return (long) delete.executeUpdate();
            }
        });
    }

    @Override
    protected long position(String name) {
        return byName("consumer.position", sql.consumerPosition, name, row -> row.next() ? row.getLong(1) : 0L);
    }

    @Override
    protected long commitPosition(String name, long seq) {
        Instant now = store.config().clock().instant().truncatedTo(ChronoUnit.MICROS);
        return store.statement("consumer.commit", c -> {
            try (PreparedStatement upsert = c.prepareStatement(sql.consumerCommit)) {
                upsert.setString(1, name);
                upsert.setLong(2, seq);
                JpaKvStore.setInstant(upsert, 3, now);
                upsert.setLong(4, seq);
                try (ResultSet row = upsert.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    @Override
    protected ConsumerStatus status(String name) {
        return byName("consumer.status", sql.consumerStatus, name, row -> {
            row.next();
            return new ConsumerStatus(name, row.getLong(1), row.getLong(2));
        });
    }

    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs the query {@code statement} with the consumer's name as its parameter. */
    private <T> T byName(String operation, String statement, String name, RowReader<T> reader) {
        return store.statement(operation, c -> {
            try (PreparedStatement select = c.prepareStatement(statement)) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    return reader.read(rows);
                }
            }
        });
    }

    @Override
    protected boolean deleteConsumer(String name) {
        return store.statement("consumer.delete", c -> {
            try (PreparedStatement delete = c.prepareStatement(sql.consumerDelete)) {
                delete.setString(1, name);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public String toString() {
        return "PostgresChangeStream[" + store.config().schema() + "."
                + store.config().table() + "_stream]";
    }
}

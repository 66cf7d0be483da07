package dev.kv.jpa;

import static dev.kv.jpa.SqlExecutor.getInstant;

import dev.kv.Change;
import dev.kv.ChangeStream;
import dev.kv.ConsumerStatus;
import dev.kv.KvConfig;
import dev.kv.internal.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The change stream of a SQLite store: the table {@code <table>_stream} that the triggers of
 * changelog-sqlite.xml fill as rows change, and the consumer positions in {@code <table>_consumer}.
 * SQLite's one writer holds the database from its first write to its commit, so seqs are drawn in
 * commit order. The last seq is the stream's AUTOINCREMENT counter in {@code sqlite_sequence}, which
 * trimming does not lower.
 */
final class SqliteChangeStream extends ChangeStream {

    private final SqlExecutor executor;
    private final ValueColumn valueColumn;
    private final Clock clock;
    private final String name;

    SqliteChangeStream(SqlExecutor executor, KvConfig config, ValueColumn valueColumn, Clock clock) {
        this.executor = executor;
        this.valueColumn = valueColumn;
        this.clock = clock;
        this.name = config.table() + "_stream";
        streamRead = sql(STREAM_READ, config);
        streamTrim = sql(STREAM_TRIM, config);
        consumerPosition = sql(CONSUMER_POSITION, config);
        consumerCommit = sql(CONSUMER_COMMIT, config);
        consumerStatus = sql(CONSUMER_STATUS, config);
        consumerDelete = sql(CONSUMER_DELETE, config);
    }

    private static String sql(String template, KvConfig config) {
        String table = SqlIdentifier.check("table", config.table());
        return template.replace("{stream}", SqlIdentifier.quote(table + "_stream"))
                .replace("{consumers}", SqlIdentifier.quote(table + "_consumer"));
    }

    /** The stream table, the consumer table and the three triggers. */
    private static final String PRESENT =
            """
            SELECT count(*) FROM sqlite_master
            WHERE (type = 'table' AND name IN (?1 || '_stream', ?1 || '_consumer'))
               OR (type = 'trigger' AND tbl_name = ?1
                   AND name IN (?1 || '_stream_insert', ?1 || '_stream_update', ?1 || '_stream_delete'))
            """;

    static boolean isPresent(Connection connection, KvConfig config) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(PRESENT)) {
            check.setString(1, config.table());
            try (ResultSet row = check.executeQuery()) {
                row.next();
                return row.getInt(1) == 5;
            }
        }
    }

    private static final String STREAM_READ =
            """
            SELECT seq, key, type, version, value, expires_at, at FROM {stream}
            WHERE seq > ?1 AND substr(key, 1, length(?2)) = ?2 ORDER BY seq LIMIT ?3
            """;

    private final String streamRead;

    @Override
    protected List<Change> changesAfter(long afterSeq, int limit, String keyPrefix) {
        return executor.statement("changes.read", c -> {
            try (PreparedStatement select = c.prepareStatement(streamRead)) {
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
                Optional.ofNullable(getInstant(row, 6)),
                getInstant(row, 7));
    }

    /** The AUTOINCREMENT counter, not max(seq): trimming must not lower it. */
    private static final String LAST_SEQ = "coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0)";

    @Override
    public long lastSeq() {
        return executor.statement("changes.lastSeq", this::lastSeq);
    }

    private long lastSeq(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + LAST_SEQ)) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static final String STREAM_TRIM =
            "DELETE FROM {stream} WHERE seq <= ?1 AND substr(key, 1, length(?2)) = ?2";
    private final String streamTrim;

    @Override
    protected long deleteUpTo(long uptoSeq, String keyPrefix) {
        return executor.statement("changes.trim", c -> {
            try (PreparedStatement delete = c.prepareStatement(streamTrim)) {
                delete.setLong(1, uptoSeq);
                delete.setString(2, keyPrefix);
                return (long) delete.executeUpdate();
            }
        });
    }

    private static final String CONSUMER_POSITION = "SELECT position FROM {consumers} WHERE name = ?1";
    private final String consumerPosition;

    @Override
    protected long position(String name) {
        return byName("consumer.position", consumerPosition, name, row -> row.next() ? row.getLong(1) : 0L);
    }

    /** Writes the position only if it is not beyond the last seq; ?4 is the stream's name. */
    private static final String CONSUMER_COMMIT =
            """
            INSERT INTO {consumers} (name, position, committed_at)
            SELECT ?1, ?2, ?3 WHERE ?2 <= %s
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, committed_at = excluded.committed_at
            """
                    .formatted(LAST_SEQ.replace("?1", "?4"));

    private final String consumerCommit;

    /** The write and the read of the last seq in one transaction, so that the seq read is the one the write met. */
    @Override
    protected long commitPosition(String name, long seq) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return executor.transaction("consumer.commit", c -> {
            try (PreparedStatement upsert = c.prepareStatement(consumerCommit)) {
                upsert.setString(1, name);
                upsert.setLong(2, seq);
                SqlExecutor.setInstant(upsert, 3, now);
                upsert.setString(4, this.name);
                upsert.executeUpdate();
            }
            return lastSeq(c);
        });
    }

    private static final String CONSUMER_STATUS =
            "SELECT coalesce((SELECT position FROM {consumers} WHERE name = ?1), 0), " + LAST_SEQ.replace("?1", "?2");

    private final String consumerStatus;

    @Override
    protected ConsumerStatus status(String name) {
        return executor.statement("consumer.status", c -> {
            try (PreparedStatement select = c.prepareStatement(consumerStatus)) {
                select.setString(1, name);
                select.setString(2, this.name);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return new ConsumerStatus(name, row.getLong(1), row.getLong(2));
                }
            }
        });
    }

    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T byName(String operation, String statement, String name, RowReader<T> reader) {
        return executor.statement(operation, c -> {
            try (PreparedStatement select = c.prepareStatement(statement)) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    return reader.read(rows);
                }
            }
        });
    }

    private static final String CONSUMER_DELETE = "DELETE FROM {consumers} WHERE name = ?1";
    private final String consumerDelete;

    @Override
    protected boolean deleteConsumer(String name) {
        return executor.statement("consumer.delete", c -> {
            try (PreparedStatement delete = c.prepareStatement(consumerDelete)) {
                delete.setString(1, name);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public String toString() {
        return "SqliteChangeStream[" + name + "]";
    }
}

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
 * The change stream of a PostgreSQL store: the table {@code <table>_stream} that the trigger {@code
 * kv_change_stream} of the migrations fills at commit (see changelog.xml), and the consumer positions
 * in {@code <table>_consumer}. Every method is one statement, its text beside its binding; {@code
 * {stream}}, {@code {sequence}} and {@code {consumers}} stand for the quoted names of those objects.
 */
final class PostgresChangeStream extends ChangeStream {

    private final SqlExecutor executor;
    private final ValueColumn valueColumn;
    private final Clock clock;
    private final String name;

    PostgresChangeStream(SqlExecutor executor, KvConfig config, ValueColumn valueColumn, Clock clock) {
        this.executor = executor;
        this.valueColumn = valueColumn;
        this.clock = clock;
        this.name = config.schema() + "." + config.table() + "_stream";
        streamRead = sql(STREAM_READ, config);
        streamLastSeq = sql(STREAM_LAST_SEQ, config);
        streamTrim = sql(STREAM_TRIM, config);
        consumerPosition = sql(CONSUMER_POSITION, config);
        consumerCommit = sql(CONSUMER_COMMIT, config);
        consumerStatus = sql(CONSUMER_STATUS, config);
        consumerDelete = sql(CONSUMER_DELETE, config);
    }

    private static String sql(String template, KvConfig config) {
        String schema = SqlIdentifier.quote(SqlIdentifier.check("schema", config.schema())) + ".";
        String table = SqlIdentifier.check("table", config.table());
        return template.replace("{table}", schema + SqlIdentifier.quote(table))
                .replace("{stream}", schema + SqlIdentifier.quote(table + "_stream"))
                .replace("{sequence}", schema + SqlIdentifier.quote(table + "_stream_seq"))
                .replace("{consumers}", schema + SqlIdentifier.quote(table + "_consumer"));
    }

    private static final String PRESENT =
            """
            SELECT to_regclass('{stream}') IS NOT NULL AND to_regclass('{consumers}') IS NOT NULL
              AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('{table}') AND tgname = 'kv_change_stream')
            """;

    /** Whether the table of {@code config} has the stream table, the consumer table and the trigger. */
    static boolean isPresent(Connection connection, KvConfig config) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(sql(PRESENT, config));
                ResultSet row = check.executeQuery()) {
            row.next();
            return row.getBoolean(1);
        }
    }

    /** The primary key on seq serves the order and limit. */
    private static final String STREAM_READ =
            """
            SELECT seq, key, type, version, value, expires_at, at FROM {stream}
            WHERE seq > ? AND starts_with(key, ?) ORDER BY seq LIMIT ?
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

    /** The sequence, not max(seq): trimming must not lower it. */
    private static final String STREAM_LAST_SEQ =
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}";

    private final String streamLastSeq;

    @Override
    public long lastSeq() {
        return executor.statement("changes.lastSeq", c -> {
            try (PreparedStatement select = c.prepareStatement(streamLastSeq);
                    ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    private static final String STREAM_TRIM = "DELETE FROM {stream} WHERE seq <= ? AND starts_with(key, ?)";
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

    private static final String CONSUMER_POSITION = "SELECT position FROM {consumers} WHERE name = ?";
    private final String consumerPosition;

    @Override
    protected long position(String name) {
        return byName("consumer.position", consumerPosition, name, row -> row.next() ? row.getLong(1) : 0L);
    }

    /** Writes the position only if it is not beyond the last seq, and returns the last seq. */
    private static final String CONSUMER_COMMIT =
            """
            WITH last AS (SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS seq FROM {sequence}),
            written AS (
              INSERT INTO {consumers} (name, position, committed_at)
              SELECT CAST(? AS text), CAST(? AS bigint), CAST(? AS timestamptz) FROM last WHERE CAST(? AS bigint) <= last.seq
              ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, committed_at = EXCLUDED.committed_at
              RETURNING 1)
            SELECT (SELECT seq FROM last), (SELECT count(*) FROM written)
            """;

    private final String consumerCommit;

    @Override
    protected long commitPosition(String name, long seq) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return executor.statement("consumer.commit", c -> {
            try (PreparedStatement upsert = c.prepareStatement(consumerCommit)) {
                upsert.setString(1, name);
                upsert.setLong(2, seq);
                SqlExecutor.setInstant(upsert, 3, now);
                upsert.setLong(4, seq);
                try (ResultSet row = upsert.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    private static final String CONSUMER_STATUS =
            "SELECT coalesce((" + CONSUMER_POSITION + "), 0), (" + STREAM_LAST_SEQ + ")";

    private final String consumerStatus;

    @Override
    protected ConsumerStatus status(String name) {
        return byName("consumer.status", consumerStatus, name, row -> {
            row.next();
            return new ConsumerStatus(name, row.getLong(1), row.getLong(2));
        });
    }

    private interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs the query {@code statement} with the consumer's name as its one parameter. */
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

    private static final String CONSUMER_DELETE = "DELETE FROM {consumers} WHERE name = ?";
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
        return "PostgresChangeStream[" + name + "]";
    }
}

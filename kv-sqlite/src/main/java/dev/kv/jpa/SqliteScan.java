package dev.kv.jpa;

import dev.kv.ScanOptions;
import dev.kv.internal.GlobSyntax;
import dev.kv.internal.KeyRanges;
import dev.kv.jpa.SqlDialect.Projection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A SQLite scan: a range on the key (SQLite's BINARY collation compares UTF-8 bytes, so code points,
 * as {@link dev.kv.KeyOrder}), a glob as SQLite's {@code GLOB}, live rows only, in order, paged. A
 * delete returns the expiry of each row it removed ({@code RETURNING}; SQLite has no writing CTE) and
 * counts the live ones.
 */
final class SqliteScan implements SqlDialect.Scan {

    private final String sql;
    private final List<Object> parameters;
    private final ValueColumn valueColumn;
    private final Instant expiryNow;
    private final boolean delete;

    private SqliteScan(
            String sql, List<Object> parameters, ValueColumn valueColumn, Instant expiryNow, boolean delete) {
        this.sql = sql;
        this.parameters = parameters;
        this.valueColumn = valueColumn;
        this.expiryNow = expiryNow;
        this.delete = delete;
    }

    static SqliteScan of(
            String table, ScanOptions options, Projection projection, Instant now, ValueColumn valueColumn) {
        List<Object> parameters = new ArrayList<>();
        String where = where(options, projection.paged(), parameters);
        boolean page = options.limit().isPresent() || options.offset() > 0;
        if (projection == Projection.DELETE) {
            if (!page) {
                return new SqliteScan(
                        "DELETE FROM " + table + (where.isEmpty() ? "" : " WHERE " + where) + " RETURNING expires_at",
                        parameters,
                        valueColumn,
                        now,
                        true);
            }
            String selected = select("key_hash", table, where, options, now, parameters);
            return new SqliteScan(
                    "DELETE FROM " + table + " WHERE key_hash IN (" + selected + ") RETURNING expires_at",
                    parameters,
                    valueColumn,
                    now,
                    true);
        }
        if (projection == Projection.COUNT) {
            parameters.add(0, now);
            String live = "(expires_at IS NULL OR expires_at > ?)" + (where.isEmpty() ? "" : " AND " + where);
            return new SqliteScan(
                    "SELECT count(*) FROM " + table + " WHERE " + live, parameters, valueColumn, now, false);
        }
        String columns = projection == Projection.KEYS ? "key" : PostgresDialect.ENTRY_COLUMNS;
        return new SqliteScan(
                select(columns, table, where, options, now, parameters), parameters, valueColumn, now, false);
    }

    /** The conditions of {@code options} on the key, adding their parameters; after the cursor if {@code paged}. */
    private static String where(ScanOptions options, boolean paged, List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        options.prefix().ifPresent(prefix -> {
            if (!prefix.isEmpty()) {
                conditions.add("key >= ?");
                parameters.add(prefix);
            }
            String upper = KeyRanges.prefixEnd(prefix);
            if (upper != null) {
                conditions.add("key < ?");
                parameters.add(upper);
            }
        });
        options.glob().ifPresent(glob -> {
            conditions.add("key GLOB ?");
            parameters.add(GlobSyntax.parse(glob.toString()).sqliteGlob());
        });
        options.from().ifPresent(from -> {
            conditions.add("key >= ?");
            parameters.add(from);
        });
        options.to().ifPresent(to -> {
            conditions.add("key < ?");
            parameters.add(to);
        });
        if (paged) {
            options.after().ifPresent(after -> {
                conditions.add(options.isDescending() ? "key < ?" : "key > ?");
                parameters.add(after);
            });
        }
        return conditions.isEmpty() ? "" : String.join(" AND ", conditions);
    }

    /**
     * The hashes of the rows a deletion by {@code options} removes: without a page every row it selects, live or
     * expired; with one the live rows of the page.
     */
    static SqliteScan deletable(String table, ScanOptions options, Instant now, ValueColumn valueColumn) {
        List<Object> parameters = new ArrayList<>();
        String where = where(options, true, parameters);
        String sql = options.limit().isPresent() || options.offset() > 0
                ? select("key_hash", table, where, options, now, parameters)
                : "SELECT key_hash FROM " + table + (where.isEmpty() ? "" : " WHERE " + where);
        return new SqliteScan(sql, parameters, valueColumn, now, false);
    }

    /** The hashes {@link #deletable} selects. */
    List<Long> hashes(Connection connection) throws SQLException {
        return query(connection, row -> row.getLong(1));
    }

    /** The live rows that {@code where} selects, in order and paged; adds the parameters of the page. */
    private static String select(
            String columns, String table, String where, ScanOptions options, Instant now, List<Object> parameters) {
        parameters.add(0, now);
        String live = "(expires_at IS NULL OR expires_at > ?)" + (where.isEmpty() ? "" : " AND " + where);
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(columns)
                .append(" FROM ")
                .append(table)
                .append(" WHERE ")
                .append(live)
                .append(options.isDescending() ? " ORDER BY key DESC" : " ORDER BY key");
        if (options.limit().isPresent() || options.offset() > 0) {
            sql.append(" LIMIT ?");
            parameters.add(options.limit().orElse(-1));
        }
        if (options.offset() > 0) {
            sql.append(" OFFSET ?");
            parameters.add(options.offset());
        }
        return sql.toString();
    }

    @Override
    public List<String> keys(Connection connection) throws SQLException {
        return query(connection, row -> row.getString(1));
    }

    @Override
    public List<StoredRow> entries(Connection connection) throws SQLException {
        return query(connection, row -> StoredRow.read(row, valueColumn));
    }

    @Override
    public long count(Connection connection) throws SQLException {
        if (delete) {
            return query(connection, row -> PostgresDialect.isLive(SqlExecutor.getInstant(row, 1), expiryNow)).stream()
                    .filter(Boolean::booleanValue)
                    .count();
        }
        return query(connection, row -> row.getLong(1)).get(0);
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(Connection connection, RowReader<T> reader) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select);
            List<T> results = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    results.add(reader.read(rows));
                }
            }
            return results;
        }
    }

    private void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof Instant instant) {
                SqlExecutor.setInstant(statement, i + 1, instant);
            } else if (parameter instanceof String text) {
                statement.setString(i + 1, text);
            } else if (parameter instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else {
                statement.setLong(i + 1, (Long) parameter);
            }
        }
    }
}

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
 * A PostgreSQL scan: a range on the "C"-collated key (from a prefix, a range and a cursor), a glob as
 * {@code LIKE} (whose matcher gives up on a {@code %} as soon as the rest cannot match, so its cost
 * stays polynomial), followed by a regular expression only for the rows that pass it when the glob has
 * a character class, live rows only, in order, paged. The text is assembled from fixed fragments;
 * every value is a parameter.
 */
final class PostgresScan implements SqlDialect.Scan {

    private final String sql;
    private final List<Object> parameters;
    private final ValueColumn valueColumn;

    private PostgresScan(String sql, List<Object> parameters, ValueColumn valueColumn) {
        this.sql = sql;
        this.parameters = parameters;
        this.valueColumn = valueColumn;
    }

    static PostgresScan of(
            String table, ScanOptions options, Projection projection, Instant now, ValueColumn valueColumn) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
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
            GlobSyntax syntax = GlobSyntax.parse(glob.toString());
            conditions.add("key LIKE ?");
            parameters.add(syntax.postgresLike());
            if (syntax.hasClasses()) {
                conditions.add("key ~ ?");
                parameters.add(syntax.postgresRegex());
            }
        });
        options.from().ifPresent(from -> {
            conditions.add("key >= ?");
            parameters.add(from);
        });
        options.to().ifPresent(to -> {
            conditions.add("key < ?");
            parameters.add(to);
        });
        if (projection.paged()) {
            options.after().ifPresent(after -> {
                conditions.add(options.isDescending() ? "key < ?" : "key > ?");
                parameters.add(after);
            });
        }
        String where = conditions.isEmpty() ? "" : String.join(" AND ", conditions);
        if (projection == Projection.DELETE) {
            parameters.add(now);
            return new PostgresScan(
                    "WITH deleted AS (DELETE FROM " + table + (where.isEmpty() ? "" : " WHERE " + where)
                            + " RETURNING expires_at) SELECT count(*) FROM deleted WHERE expires_at IS NULL OR expires_at > ?",
                    parameters,
                    valueColumn);
        }
        parameters.add(0, now);
        String live = "(expires_at IS NULL OR expires_at > ?)" + (where.isEmpty() ? "" : " AND " + where);
        if (projection == Projection.COUNT) {
            return new PostgresScan("SELECT count(*) FROM " + table + " WHERE " + live, parameters, valueColumn);
        }
        String columns = projection == Projection.KEYS ? "key" : PostgresDialect.ENTRY_COLUMNS;
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(columns)
                .append(" FROM ")
                .append(table)
                .append(" WHERE ")
                .append(live)
                .append(options.isDescending() ? " ORDER BY key DESC" : " ORDER BY key");
        options.limit().ifPresent(limit -> {
            sql.append(" LIMIT ?");
            parameters.add(limit);
        });
        if (options.offset() > 0) {
            sql.append(" OFFSET ?");
            parameters.add(options.offset());
        }
        return new PostgresScan(sql.toString(), parameters, valueColumn);
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

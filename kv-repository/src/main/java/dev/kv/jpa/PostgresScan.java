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

    /** A piece of SQL and the parameters it binds, in order. */
    record Fragment(String sql, List<Object> parameters) {}

    static PostgresScan of(
            String table, ScanOptions options, Projection projection, Instant now, ValueColumn valueColumn) {
        if (projection == Projection.DELETE) {
            return deletion(table, options, now, valueColumn);
        }
        if (projection == Projection.COUNT) {
            Fragment live = liveSelection(options, now, false);
            return new PostgresScan(
                    "SELECT count(*) FROM " + table + " WHERE " + live.sql(), live.parameters(), valueColumn);
        }
        String columns = projection == Projection.KEYS ? "key" : PostgresDialect.ENTRY_COLUMNS;
        Fragment page = page(table, columns, options, now);
        return new PostgresScan(page.sql(), page.parameters(), valueColumn);
    }

    /**
     * Deletes what {@code options} selects, locking the rows in key_hash order first, as every multi-row
     * write does (see {@link SqlBatches}), and counts the live ones. Without a page, every row of the
     * selection, expired ones too; with one, the live rows of the page {@code keys(options)} would list.
     */
    private static PostgresScan deletion(String table, ScanOptions options, Instant now, ValueColumn valueColumn) {
        Fragment where = selection(options, false);
        List<Object> parameters = new ArrayList<>();
        String locked = "SELECT key_hash FROM " + table + " AS e WHERE ";
        if (isPaged(options)) {
            Fragment page = page(table, "key_hash", options, now);
            parameters.addAll(page.parameters());
            locked +=
                    "key_hash = ANY (ARRAY(" + page.sql() + "))" + (where.sql().isEmpty() ? "" : " AND ");
        }
        parameters.addAll(where.parameters());
        locked += where.sql() + " ORDER BY key_hash FOR UPDATE";
        parameters.add(now);
        return new PostgresScan(
                "WITH deleted AS (DELETE FROM " + table + " WHERE key_hash = ANY (ARRAY("
                        + locked.replace(" WHERE  ORDER BY", " ORDER BY")
                        + ")) RETURNING expires_at) SELECT count(*) FROM deleted WHERE expires_at IS NULL OR expires_at > ?",
                parameters,
                valueColumn);
    }

    private static boolean isPaged(ScanOptions options) {
        return options.limit().isPresent()
                || options.offset() > 0
                || options.after().isPresent();
    }

    /**
     * The rows a deletion by {@code options} removes, with {@code columns} of table alias {@code e}:
     * every row of the selection, or with a page (limit, offset, cursor) the live rows of the page.
     */
    static Fragment candidates(String table, String columns, ScanOptions options, Instant now) {
        if (isPaged(options)) {
            return page(table, columns, options, now);
        }
        Fragment where = selection(options, false);
        return new Fragment(
                "SELECT " + columns + " FROM " + table + " AS e"
                        + (where.sql().isEmpty() ? "" : " WHERE " + where.sql()),
                where.parameters());
    }

    /** The live rows of {@code options}' page, in its order: what keys and scan read. */
    private static Fragment page(String table, String columns, ScanOptions options, Instant now) {
        Fragment live = liveSelection(options, now, true);
        List<Object> parameters = new ArrayList<>(live.parameters());
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(columns)
                .append(" FROM ")
                .append(table)
                .append(" AS e WHERE ")
                .append(live.sql())
                .append(options.isDescending() ? " ORDER BY key DESC" : " ORDER BY key");
        options.limit().ifPresent(limit -> {
            sql.append(" LIMIT ?");
            parameters.add(limit);
        });
        if (options.offset() > 0) {
            sql.append(" OFFSET ?");
            parameters.add(options.offset());
        }
        return new Fragment(sql.toString(), parameters);
    }

    private static Fragment liveSelection(ScanOptions options, Instant now, boolean paged) {
        Fragment where = selection(options, paged);
        List<Object> parameters = new ArrayList<>();
        parameters.add(now);
        parameters.addAll(where.parameters());
        return new Fragment(
                "(expires_at IS NULL OR expires_at > ?)" + (where.sql().isEmpty() ? "" : " AND " + where.sql()),
                parameters);
    }

    /** The conditions of the prefix, glob, range and, for a {@code paged} scan, the cursor. */
    private static Fragment selection(ScanOptions options, boolean paged) {
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
        if (paged) {
            options.after().ifPresent(after -> {
                conditions.add(options.isDescending() ? "key < ?" : "key > ?");
                parameters.add(after);
            });
        }
        return new Fragment(String.join(" AND ", conditions), parameters);
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
        bind(statement, 1, parameters);
    }

    /** Binds {@code parameters} (instants, strings, ints and longs) from {@code index} on. */
    static void bind(PreparedStatement statement, int index, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof Instant instant) {
                SqlExecutor.setInstant(statement, index + i, instant);
            } else if (parameter instanceof String text) {
                statement.setString(index + i, text);
            } else if (parameter instanceof Integer number) {
                statement.setInt(index + i, number);
            } else {
                statement.setLong(index + i, (Long) parameter);
            }
        }
    }
}

package dev.kv.jpa;

import dev.kv.KeyOrder;
import dev.kv.Limits;
import dev.kv.ScanOptions;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a scan: a range on the "C"-collated key (from a prefix, a range and a cursor), live rows
 * only, in order, paged. The text is assembled from fixed fragments; every value is a parameter.
 */
final class ScanStatement {

    /** What a scan reads or does with the rows it selects. */
    enum Projection {
        KEYS,
        ENTRIES,
        COUNT,
        DELETE
    }

    private final String sql;
    private final List<Object> parameters;

    private ScanStatement(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    static ScanStatement of(String table, ScanOptions options, Projection projection, Limits limits, Instant now) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        options.prefix().ifPresent(prefix -> {
            limits.checkPrefix(prefix);
            if (!prefix.isEmpty()) {
                conditions.add("key >= ?");
                parameters.add(prefix);
            }
            String upper = KeyOrder.prefixEnd(prefix);
            if (upper != null) {
                conditions.add("key < ?");
                parameters.add(upper);
            }
        });
        options.glob().ifPresent(glob -> {
            conditions.add("key ~ ?");
            parameters.add(glob.postgresRegex());
        });
        options.from().ifPresent(from -> {
            limits.checkPrefix(from);
            conditions.add("key >= ?");
            parameters.add(from);
        });
        options.to().ifPresent(to -> {
            limits.checkPrefix(to);
            conditions.add("key < ?");
            parameters.add(to);
        });
        boolean paged = projection == Projection.KEYS || projection == Projection.ENTRIES;
        if (paged) {
            options.after().ifPresent(after -> {
                limits.checkPrefix(after);
                conditions.add(options.isDescending() ? "key < ?" : "key > ?");
                parameters.add(after);
            });
        }
        String where = conditions.isEmpty() ? "" : String.join(" AND ", conditions);
        if (projection == Projection.DELETE) {
            parameters.add(now);
            return new ScanStatement(
                    "WITH deleted AS (DELETE FROM " + table + (where.isEmpty() ? "" : " WHERE " + where)
                            + " RETURNING expires_at) SELECT count(*) FROM deleted WHERE expires_at IS NULL OR expires_at > ?",
                    parameters);
        }
        parameters.add(0, now);
        String live = "(expires_at IS NULL OR expires_at > ?)" + (where.isEmpty() ? "" : " AND " + where);
        if (projection == Projection.COUNT) {
            return new ScanStatement("SELECT count(*) FROM " + table + " WHERE " + live, parameters);
        }
        String columns = projection == Projection.KEYS ? "key" : PostgresStatements.ENTRY_COLUMNS;
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
        return new ScanStatement(sql.toString(), parameters);
    }

    String sql() {
        return sql;
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof Instant instant) {
                JpaKvStore.setInstant(statement, i + 1, instant);
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

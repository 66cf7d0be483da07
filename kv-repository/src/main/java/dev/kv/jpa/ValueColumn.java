package dev.kv.jpa;

import dev.kv.ValueFormat;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Binds and reads the value column of a store's format. Values come checked by the store's {@link
 * dev.kv.internal.OperationFront}, which validates JSON; converting them checks nothing more.
 */
abstract class ValueColumn {

    static ValueColumn of(ValueFormat format) {
        return format == ValueFormat.JSONB ? new Jsonb() : new Bytea();
    }

    /** Converts a checked value to what is bound. */
    abstract Object toColumn(byte[] value);

    abstract void bind(PreparedStatement statement, int index, Object column) throws SQLException;

    abstract byte[] read(ResultSet row, int index) throws SQLException;

    /** An SQL array of converted values, for the batch statements. */
    abstract Array array(Connection connection, Object[] columns) throws SQLException;

    private static final class Jsonb extends ValueColumn {

        @Override
        Object toColumn(byte[] value) {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object column) throws SQLException {
            statement.setString(index, (String) column);
        }

        @Override
        byte[] read(ResultSet row, int index) throws SQLException {
            String text = row.getString(index);
            return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        Array array(Connection connection, Object[] columns) throws SQLException {
            return connection.createArrayOf("text", columns);
        }
    }

    private static final class Bytea extends ValueColumn {

        @Override
        Object toColumn(byte[] value) {
            return value;
        }

        @Override
        void bind(PreparedStatement statement, int index, Object column) throws SQLException {
            statement.setBytes(index, (byte[]) column);
        }

        @Override
        byte[] read(ResultSet row, int index) throws SQLException {
            return row.getBytes(index);
        }

        @Override
        Array array(Connection connection, Object[] columns) throws SQLException {
            byte[][] values = new byte[columns.length][];
            for (int i = 0; i < columns.length; i++) {
                values[i] = (byte[]) columns[i];
            }
            return connection.createArrayOf("bytea", values);
        }
    }
}

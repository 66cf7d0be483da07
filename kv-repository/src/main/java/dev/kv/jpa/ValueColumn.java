package dev.kv.jpa;

import dev.kv.InvalidValueException;
import dev.kv.ValueFormat;
import dev.kv.entities.JsonValueConverter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Binds and reads the value column of a store's format, through the entity's attribute converter. */
abstract class ValueColumn {

    static ValueColumn of(ValueFormat format) {
        return format == ValueFormat.JSONB ? new Jsonb() : new Bytea();
    }

    /**
     * Converts a value to what is bound, before any SQL is sent.
     *
     * @throws InvalidValueException if the column type refuses it
     */
    abstract Object toColumn(byte[] value);

    abstract void bind(PreparedStatement statement, int index, Object column) throws SQLException;

    abstract byte[] read(ResultSet row, int index) throws SQLException;

    /** An SQL array of converted values, for the batch statements. */
    abstract Array array(Connection connection, Object[] columns) throws SQLException;

    private static final class Jsonb extends ValueColumn {

        private final JsonValueConverter converter = new JsonValueConverter();

        @Override
        Object toColumn(byte[] value) {
            return converter.convertToDatabaseColumn(value);
        }

        @Override
        void bind(PreparedStatement statement, int index, Object column) throws SQLException {
            statement.setString(index, (String) column);
        }

        @Override
        byte[] read(ResultSet row, int index) throws SQLException {
            return converter.convertToEntityAttribute(row.getString(index));
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

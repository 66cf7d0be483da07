package dev.kv.jpa;

import dev.kv.KvDatabaseException;
import dev.kv.StoreClosedException;
import jakarta.persistence.PersistenceException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * Runs a store's statements: takes the connection from its {@link Transactions} (its own, or the
 * caller's in a container), runs work as one statement, a transaction or a unit of work, and
 * translates every persistence failure into a {@link KvDatabaseException} naming the operation. It
 * also binds and reads the timestamps of every statement, in one way for all of them.
 */
final class SqlExecutor implements AutoCloseable {

    private final Transactions transactions;
    private final String store;
    private volatile boolean closed;

    /** An executor of the store described as {@code store} (for messages). */
    SqlExecutor(Transactions transactions, String store) {
        this.transactions = transactions;
        this.store = store;
    }

    /** Runs work that is a single statement (see {@link Transactions#statement}). */
    <T> T statement(String operation, Transactions.Work<T> work) {
        requireOpen();
        try {
            return transactions.statement(work);
        } catch (PersistenceException e) {
            throw DatabaseErrors.translate(operation, e);
        }
    }

    /** Runs several statements atomically (see {@link Transactions#transaction}). */
    <T> T transaction(String operation, Transactions.Work<T> work) {
        requireOpen();
        try {
            return transactions.transaction(work);
        } catch (PersistenceException e) {
            throw DatabaseErrors.translate(operation, e);
        }
    }

    /** Runs {@code work} as one unit, handing it an executor bound to the unit (see {@link Transactions#unitOfWork}). */
    <T> T unitOfWork(String operation, Function<SqlExecutor, T> work) {
        requireOpen();
        try {
            return transactions.unitOfWork(bound -> work.apply(new SqlExecutor(bound, store)));
        } catch (PersistenceException e) {
            throw DatabaseErrors.translate(operation, e);
        }
    }

    /** Whether this executor begins and ends its transactions (Java SE), rather than joining someone else's. */
    boolean ownsTransactions() {
        return !(transactions instanceof Transactions.Joined);
    }

    /**
     * Runs the single statement of an increment, reading its failures as {@link CounterErrors}
     * does: a stored value that is no counter, or a sum that overflows.
     */
    <T> T counterStatement(String key, long delta, Transactions.Work<T> work) {
        try {
            return statement("increment", work);
        } catch (KvDatabaseException e) {
            throw CounterErrors.translate(key, delta, e);
        }
    }

    /**
     * Binds an instant as ISO-8601 text of no declared type, which the server reads as the {@code
     * timestamptz} the statement's context asks for. pgjdbc's own timestamp binding builds a {@code
     * GregorianCalendar} for every new statement: a tenth of a write's client CPU.
     */
    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, text(instant), Types.OTHER);
        }
    }

    /** Binds one instant to several parameters, formatting it once. */
    static void setInstant(PreparedStatement statement, Instant instant, int... indexes) throws SQLException {
        String text = text(instant);
        for (int index : indexes) {
            statement.setObject(index, text, Types.OTHER);
        }
    }

    /**
     * The instant as ISO-8601 text in UTC with nine fraction digits, the value {@link
     * Instant#toString} names. Written by hand for the years 1 to 9999: {@code Instant.toString}'s
     * formatter took a fifth of a write's client CPU.
     */
    static String text(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (time.getYear() < 1 || time.getYear() > 9999) {
            return instant.toString();
        }
        char[] text = "0000-00-00T00:00:00.000000000Z".toCharArray();
        digits(text, 4, time.getYear());
        digits(text, 7, time.getMonthValue());
        digits(text, 10, time.getDayOfMonth());
        digits(text, 13, time.getHour());
        digits(text, 16, time.getMinute());
        digits(text, 19, time.getSecond());
        digits(text, 29, time.getNano());
        return new String(text);
    }

    /** Writes {@code value}'s decimal digits into the zeros that end at {@code end} (exclusive). */
    private static void digits(char[] text, int end, int value) {
        for (int i = end - 1; value > 0; i--, value /= 10) {
            text[i] = (char) ('0' + value % 10);
        }
    }

    /**
     * Reads an instant: a {@code timestamptz}, or, from a driver that cannot return one (SQLite's,
     * whose database has no timestamp type), the ISO-8601 text {@link #setInstant} bound. The driver
     * is told by its refusal on each call, not remembered: a pool's proxy result set is one class for
     * every database.
     */
    static Instant getInstant(ResultSet row, int index) throws SQLException {
        try {
            OffsetDateTime time = row.getObject(index, OffsetDateTime.class);
            return time == null ? null : time.toInstant();
        } catch (SQLFeatureNotSupportedException e) {
            String text = row.getString(index);
            return text == null ? null : Instant.parse(text);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreClosedException(store);
        }
    }

    /** Closes the transactions once; from then on every operation throws {@link StoreClosedException}. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            transactions.close();
        }
    }
}

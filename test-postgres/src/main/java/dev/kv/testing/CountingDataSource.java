package dev.kv.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a real DataSource and records every call that makes a round trip to PostgreSQL: each
 * statement execution (with its SQL) and each commit or rollback. {@code setAutoCommit} is not
 * counted: the PostgreSQL driver sends the BEGIN with the next statement.
 */
public final class CountingDataSource implements DataSource {

    private static final Set<String> EXECUTIONS = Set.of(
            "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final DataSource target;
    private final List<String> roundTrips = new CopyOnWriteArrayList<>();

    public CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** The round trips since the last {@link #reset()}: the SQL of each statement, or COMMIT / ROLLBACK. */
    public List<String> roundTrips() {
        return List.copyOf(roundTrips);
    }

    public void reset() {
        roundTrips.clear();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connection(target.getConnection(username, password));
    }

    private Connection connection(Connection connection) {
        return proxy(Connection.class, connection, (method, args, result) -> {
            switch (method.getName()) {
                case "commit" -> roundTrips.add("COMMIT");
                case "rollback" -> roundTrips.add("ROLLBACK");
                case "prepareStatement", "prepareCall" -> {
                    String sql = (String) args[0];
                    return proxy((Class<?>) method.getReturnType(), result, (m, a, r) -> {
                        if (EXECUTIONS.contains(m.getName())) {
                            roundTrips.add(sql);
                        }
                        return r;
                    });
                }
                case "createStatement" -> {
                    return proxy(Statement.class, result, (m, a, r) -> {
                        if (EXECUTIONS.contains(m.getName())) {
                            roundTrips.add(String.valueOf(a[0]));
                        }
                        return r;
                    });
                }
                default -> {}
            }
            return result;
        });
    }

    /** Observes a call after the target ran it; may replace its result. */
    private interface Observer {
        Object after(Method method, Object[] args, Object result);
    }

    private static <T> T proxy(Class<T> type, Object target, Observer observer) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return method.invoke(target, args);
            }
            try {
                return observer.after(method, args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return target.isWrapperFor(type);
    }
}

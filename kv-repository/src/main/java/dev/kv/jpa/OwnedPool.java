package dev.kv.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import java.time.Duration;

/**
 * The HikariCP pool of a store opened on a JDBC URL. Only this class names HikariCP, so an
 * application that hands kv its own DataSource (every container does) needs no HikariCP at all.
 * Its connections carry the store's lock, statement and idle-in-transaction timeouts as session
 * settings, set once when each connection opens.
 */
final class OwnedPool {

    private OwnedPool() {}

    /** @throws dev.kv.KvDatabaseException saying why, if the pool cannot make its first connection */
    static HikariDataSource open(String jdbcUrl, String user, String password, KvConfig config) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setAutoCommit(true);
        pool.setPoolName("kv-" + config.table());
        pool.setMaximumPoolSize(config.poolSize());
        pool.setConnectionTimeout(config.connectionTimeout().toMillis());
        pool.setConnectionInitSql(sessionSettings(config));
        pool.addDataSourceProperty("ApplicationName", config.applicationName());
        try {
            return new HikariDataSource(pool);
        } catch (RuntimeException e) {
            throw DatabaseErrors.openFailure(config, e);
        }
    }

    /** One statement setting the timeouts for the session; the values are milliseconds, 0 for none. */
    static String sessionSettings(KvConfig config) {
        return "SELECT set_config('lock_timeout', '" + millis(config.lockTimeout())
                + "', false), set_config('statement_timeout', '" + millis(config.statementTimeout())
                + "', false), set_config('idle_in_transaction_session_timeout', '"
                + millis(config.transactionTimeout()) + "', false)";
    }

    private static long millis(Duration timeout) {
        return timeout.toMillis();
    }
}

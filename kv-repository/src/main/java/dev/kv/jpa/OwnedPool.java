package dev.kv.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;

/**
 * The HikariCP pool of a store opened on a JDBC URL. Only this class names HikariCP, so an
 * application that hands kv its own DataSource (every container does) needs no HikariCP at all.
 */
final class OwnedPool {

    private OwnedPool() {}

    /** @throws dev.kv.KvDatabaseException if the pool cannot make its first connection */
    static HikariDataSource open(String jdbcUrl, String user, String password, KvConfig config) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setAutoCommit(true);
        pool.setPoolName("kv-" + config.table());
        pool.addDataSourceProperty("ApplicationName", config.applicationName());
        try {
            return new HikariDataSource(pool);
        } catch (RuntimeException e) {
            throw DatabaseErrors.translate("open", e);
        }
    }
}

package dev.kv.jpa;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        Credentials credentials = Credentials.of(jdbcUrl, password);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(credentials.url());
        pool.setUsername(user);
        pool.setPassword(credentials.password());
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

    /**
     * A JDBC URL without its {@code password} parameter, and the password that applies: the URL's,
     * which the driver would prefer, or else the one given. The driver reports the URL it was given
     * (Hibernate logs it at INFO on every open), so the password must not reach it in the URL.
     */
    record Credentials(String url, String password) {

        static Credentials of(String jdbcUrl, String password) {
            int query = jdbcUrl.indexOf('?');
            if (query < 0) {
                return new Credentials(jdbcUrl, password);
            }
            List<String> kept = new ArrayList<>();
            String fromUrl = null;
            for (String parameter : jdbcUrl.substring(query + 1).split("&", -1)) {
                int equals = parameter.indexOf('=');
                String name = equals < 0 ? parameter : parameter.substring(0, equals);
                if (name.equals("password")) {
                    fromUrl = equals < 0
                            ? ""
                            : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
                } else {
                    kept.add(parameter);
                }
            }
            String url = jdbcUrl.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
            return new Credentials(url, fromUrl != null ? fromUrl : password);
        }

        @Override
        public String toString() {
            return "Credentials[url=" + url + ", password=" + (password == null ? "none" : "<hidden>") + "]";
        }
    }
}

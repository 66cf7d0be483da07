package dev.kv.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What every benchmark JVM needs to reach its database and Redis, and how many keys the tables hold.
 * {@link BenchMain} decides these once and hands them to each JMH fork as system properties, so a
 * fork never starts a database of its own.
 *
 * @param jdbcUrl the PostgreSQL every implementation uses
 * @param user database user
 * @param password database password, never printed
 * @param redisUrl a Redis URL, or null to leave Redis out
 * @param keyCount keys pre-filled into each operations table
 */
public record BenchSettings(String jdbcUrl, String user, String password, String redisUrl, int keyCount) {

    /** The schema holding every benchmark table, so a run never touches an application's tables. */
    public static final String SCHEMA = "kv_bench";

    /** Connections per pool, for kv and raw JDBC alike: one per benchmark thread at 8 threads. */
    public static final int POOL_SIZE = 8;

    static final String URL = "kv.bench.jdbc.url";
    static final String USER = "kv.bench.jdbc.user";
    static final String PASSWORD = "kv.bench.jdbc.password";
    static final String REDIS = "kv.bench.redis.url";
    static final String KEYS = "kv.bench.keys";

    /** Read in a JMH fork. */
    public static BenchSettings fromSystemProperties() {
        String url = System.getProperty(URL);
        if (url == null) {
            throw new IllegalStateException(
                    "system property " + URL + " is not set: run the benchmarks through BenchMain");
        }
        String redis = System.getProperty(REDIS);
        return new BenchSettings(
                url,
                System.getProperty(USER, "postgres"),
                System.getProperty(PASSWORD, ""),
                redis == null || redis.isBlank() ? null : redis,
                Integer.getInteger(KEYS, 100_000));
    }

    public boolean hasRedis() {
        return redisUrl != null;
    }

    /** The same settings as system properties of a forked JVM. */
    List<String> asJvmArgs() {
        List<String> args = new ArrayList<>();
        args.add("-D" + URL + "=" + jdbcUrl);
        args.add("-D" + USER + "=" + user);
        args.add("-D" + PASSWORD + "=" + password);
        if (redisUrl != null) {
            args.add("-D" + REDIS + "=" + redisUrl);
        }
        args.add("-D" + KEYS + "=" + keyCount);
        return args;
    }

    /** The same settings as system properties of this JVM, for benchmarks run without forking. */
    void applyToThisJvm() {
        System.setProperty(URL, jdbcUrl);
        System.setProperty(USER, user);
        System.setProperty(PASSWORD, password);
        if (redisUrl != null) {
            System.setProperty(REDIS, redisUrl);
        } else {
            System.clearProperty(REDIS);
        }
        System.setProperty(KEYS, Integer.toString(keyCount));
    }

    @Override
    public String toString() {
        return "BenchSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", redisUrl=" + redisUrl + ", keyCount="
                + keyCount + "]";
    }
}

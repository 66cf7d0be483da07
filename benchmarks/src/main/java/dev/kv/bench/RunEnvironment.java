package dev.kv.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;
import javax.sql.DataSource;

/** The machine, servers and library versions of a run, written beside its results for the report. */
final class RunEnvironment {

    private RunEnvironment() {}

    static void write(DataSource database, BenchSettings settings, RunPlan plan, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("finished", Instant.now().toString());
        root.put("plan", plan.name());
        root.put("rounds", plan.rounds());
        root.put("forks", plan.forks());
        root.put("warmup", plan.warmup().count() + " x " + plan.warmup().time().toMillis() + " ms");
        root.put(
                "measurement",
                plan.measurement().count() + " x " + plan.measurement().time().toMillis() + " ms");
        root.put("keys", settings.keyCount());
        root.put("poolSize", BenchSettings.POOL_SIZE);
        root.put("valueFormat", BenchTables.FORMAT.name());
        root.put("jdbcUrl", settings.jdbcUrl());
        root.put("cpu", cpuModel());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("memoryGiB", memoryGiB());
        root.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        root.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        root.put("postgresql", postgres(database));
        root.put("redis", redis(settings));
        ObjectNode libraries = root.putObject("libraries");
        // Neither jar carries Maven's pom.properties; both say their version themselves.
        libraries.put("hibernate-core", org.hibernate.Version.getVersionString());
        libraries.put("pgjdbc", org.postgresql.util.DriverInfo.DRIVER_VERSION);
        library(libraries, "com.zaxxer", "HikariCP");
        library(libraries, "org.openjdk.jmh", "jmh-core");
        library(libraries, "redis.clients", "jedis");
        library(libraries, "org.hdrhistogram", "HdrHistogram");
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static long memoryGiB() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
            return Math.round(bean.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return -1;
    }

    private static String postgres(DataSource database) {
        try (Connection c = database.getConnection();
                Statement s = c.createStatement()) {
            StringBuilder out = new StringBuilder();
            try (ResultSet r = s.executeQuery("SHOW server_version")) {
                r.next();
                out.append(r.getString(1));
            }
            try (ResultSet r = s.executeQuery("SELECT name, setting FROM pg_settings WHERE name IN "
                    + "('fsync', 'synchronous_commit', 'shared_buffers', 'wal_level') ORDER BY name")) {
                while (r.next()) {
                    out.append(", ").append(r.getString(1)).append('=').append(r.getString(2));
                }
            }
            return out.toString();
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String redis(BenchSettings settings) {
        if (!settings.hasRedis()) {
            return "not measured (KV_BENCH_REDIS_URL not set)";
        }
        try (RedisOperations redis = new RedisOperations(settings.redisUrl(), 1)) {
            return redis.serverVersion() + " at " + settings.redisUrl();
        }
    }

    private static void library(ObjectNode libraries, String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = RunEnvironment.class.getResourceAsStream(resource)) {
            if (in == null) {
                libraries.put(artifact, "unknown");
                return;
            }
            Properties properties = new Properties();
            properties.load(in);
            libraries.put(artifact, properties.getProperty("version", "unknown"));
        } catch (IOException e) {
            libraries.put(artifact, "unknown");
        }
    }
}

package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No password reaches a log line at any level, and no exception message quotes a value: {@link
 * SecretsProbe} runs in its own JVM with Hibernate, HikariCP, Liquibase, the JDBC driver and kv all
 * logging at their most verbose, as a role whose password is planted in the URL and in the
 * arguments, and everything it writes is searched for the planted strings. A value that was stored
 * may show in the driver's own protocol trace ({@code org.postgresql} at FINEST binds it), never in a
 * message.
 */
class NoSecretsInLogsTest {

    @Test
    void noPasswordInAnyLogLineAndNoValueInAnyMessage(@TempDir Path directory) throws Exception {
        TestDatabase database = TestDatabase.get();
        try (var admin = database.newPool("secrets-admin", 1)) {
            TestDatabase.execute(
                    admin,
                    """
                    DO $$ BEGIN
                      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kv_secret') THEN
                        CREATE ROLE kv_secret LOGIN PASSWORD '%s';
                      END IF;
                    END $$"""
                            .formatted(SecretsProbe.PASSWORD));
            TestDatabase.execute(admin, "GRANT USAGE, CREATE ON SCHEMA public TO kv_secret");
            TestDatabase.execute(
                    admin,
                    """
                    DO $$ BEGIN
                      EXECUTE format('GRANT CREATE ON DATABASE %I TO kv_secret', current_database());
                    END $$""");
        }
        String output = runProbe(database.jdbcUrl(), directory);

        assertThat(output).contains(SecretsProbe.DONE);
        assertThat(output)
                .as("the verbose logs were captured")
                .contains("DEBUG com.zaxxer.hikari")
                .contains("DEBUG org.hibernate")
                .contains("Database JDBC URL")
                .contains("liquibase");
        assertThat(output)
                .as("the failing operations ran")
                .contains(SecretsProbe.FAILURE + "set: dev.kv.InvalidValueException");
        assertThat(output).doesNotContain(SecretsProbe.PASSWORD).doesNotContain(SecretsProbe.VALUE_TOKEN);
        List<String> messages = output.lines()
                .filter(line -> line.startsWith(SecretsProbe.FAILURE))
                .toList();
        assertThat(messages).isNotEmpty().noneMatch(line -> line.contains(SecretsProbe.STORED_TOKEN));
    }

    private static String runProbe(String jdbcUrl, Path directory) throws IOException, InterruptedException {
        Path logging = directory.resolve("logging.properties");
        Files.writeString(
                logging,
                """
                handlers=java.util.logging.ConsoleHandler
                .level=ALL
                java.util.logging.ConsoleHandler.level=ALL
                """);
        Path output = directory.resolve("output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-XX:TieredStopAtLevel=1",
                        "-Dorg.jboss.logging.provider=slf4j",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                        "-Dorg.slf4j.simpleLogger.showLogName=true",
                        "-Djava.util.logging.config.file=" + logging,
                        SecretsProbe.class.getName(),
                        jdbcUrl,
                        "kv_secret")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(probe.waitFor(5, TimeUnit.MINUTES)).as("the probe finishes").isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as(text).isZero();
        return text;
    }
}

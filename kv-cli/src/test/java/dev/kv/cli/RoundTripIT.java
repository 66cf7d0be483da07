package dev.kv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 keys from a JSON Lines file into SQLite, exported (gzip) and imported into PostgreSQL, and
 * exported again: the counts and every value, through the launcher.
 */
class RoundTripIT {

    private static final int KEYS = 100_000;

    @TempDir
    Path directory;

    private final String table = "cli_roundtrip_" + ProcessHandle.current().pid();

    @AfterEach
    void dropTable() {
        CommandsOnPostgresIT.dropTables(table);
    }

    static String postgresUrl() {
        return CommandsOnPostgresIT.postgresUrl();
    }

    @Test
    void exportAndImportCarryEveryKeyBetweenSqliteAndPostgres() throws IOException {
        Path source = directory.resolve("source.jsonl");
        Map<String, JsonNode> written = writeSource(source);
        Launcher sqlite = new Launcher("--connection", "file:" + directory.resolve("data.db"));
        Launcher postgres = new Launcher("--type", "postgres", "--connection", postgresUrl(), "--table", table);
        sqlite.run("init").succeeds();
        postgres.run("init").succeeds();

        assertThat(sqlite.run("import", "--file", source.toString()).succeeds().line())
                .isEqualTo(Integer.toString(KEYS));
        assertThat(sqlite.run("count", "all").succeeds().line()).isEqualTo(Integer.toString(KEYS));
        Path fromSqlite = directory.resolve("sqlite.jsonl.gz");
        assertThat(sqlite.run("export", "--file", fromSqlite.toString())
                        .succeeds()
                        .line())
                .isEqualTo(Integer.toString(KEYS));

        assertThat(postgres.run("import", "--file", fromSqlite.toString())
                        .succeeds()
                        .line())
                .isEqualTo(Integer.toString(KEYS));
        assertThat(postgres.run("count", "all").succeeds().line()).isEqualTo(Integer.toString(KEYS));
        Path fromPostgres = directory.resolve("postgres.jsonl");
        postgres.run("export", "--file", fromPostgres.toString()).succeeds();

        Map<String, JsonNode> sqliteExport = read(fromSqlite);
        Map<String, JsonNode> postgresExport = read(fromPostgres);
        assertThat(sqliteExport).hasSize(KEYS);
        assertThat(postgresExport).hasSize(KEYS);
        for (Map.Entry<String, JsonNode> entry : written.entrySet()) {
            assertThat(sqliteExport.get(entry.getKey()).get("value"))
                    .as("value of %s from SQLite", entry.getKey())
                    .isEqualTo(entry.getValue().get("value"));
            assertThat(postgresExport.get(entry.getKey()).get("value"))
                    .as("value of %s from PostgreSQL", entry.getKey())
                    .isEqualTo(entry.getValue().get("value"));
            assertThat(expiry(postgresExport.get(entry.getKey())))
                    .as("expiry of %s, set again as a TTL from the time of each import", entry.getKey())
                    .isCloseTo(expiry(entry.getValue()), within(5, ChronoUnit.MINUTES));
        }
    }

    /** Keys of every width, values of every JSON kind, every hundredth key with an expiry a day ahead. */
    private static Map<String, JsonNode> writeSource(Path file) throws IOException {
        Map<String, JsonNode> written = new HashMap<>();
        Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < KEYS; i++) {
                String key = "k:" + (i % 7) + ":" + i + (i % 1000 == 0 ? ":\u00e9\u4e2d" : "");
                String value =
                        switch (i % 4) {
                            case 0 -> "{\"n\":" + i + ",\"tags\":[\"a\",\"b\"],\"nested\":{\"ok\":true}}";
                            case 1 -> Integer.toString(i);
                            case 2 -> "\"text " + i + "\"";
                            default -> "[" + i + ",null,1.5]";
                        };
                String line = "{\"key\":" + Launcher.JSON.writeValueAsString(key) + ",\"value\":" + value
                        + (i % 100 == 0 ? ",\"expiresAt\":\"" + tomorrow + "\"" : "") + "}";
                out.write(line);
                out.write('\n');
                written.put(key, Launcher.JSON.readTree(line));
            }
        }
        return written;
    }

    /** The expiry of a record, or the epoch for none. */
    private static Instant expiry(JsonNode record) {
        JsonNode expiresAt = record.get("expiresAt");
        return expiresAt == null ? Instant.EPOCH : Instant.parse(expiresAt.asText());
    }

    private static Map<String, JsonNode> read(Path file) throws IOException {
        Map<String, JsonNode> records = new HashMap<>();
        var in = Files.newInputStream(file);
        var stream = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode record = Launcher.JSON.readTree(line);
                records.put(record.get("key").asText(), record);
            }
        }
        return records;
    }
}

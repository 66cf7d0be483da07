package dev.kv.cli;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.jpa.JpaKvStores;
import dev.kv.jpa.SqliteKvStores;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import dev.kv.memory.Persistence;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Opens the store the global options name. Every store has the change stream, which {@code kv init} creates. */
final class Session {

    static final String SQLITE_DEFAULT = "file:data.db";
    static final String POSTGRES_DEFAULT = "jdbc:postgresql://localhost:5432/postgres?user=postgres";

    private final Backend type;
    private final String connection;
    private final String table;

    Session(Backend type, String connection, String table) {
        this.type = type;
        this.connection = connection;
        this.table = table;
    }

    /** The store; with {@code initialise}, after creating (or updating) its table, as {@code kv init} does. */
    KvStore open(boolean initialise) {
        KvConfig config = KvConfig.builder()
                .table(table)
                .changeStream(true)
                .runMigrations(initialise)
                .build();
        return switch (type) {
            case sqlite -> SqliteKvStores.open(connection == null ? SQLITE_DEFAULT : connection, config);
            case postgres -> {
                PostgresUrl url = PostgresUrl.parse(connection == null ? POSTGRES_DEFAULT : connection);
                yield JpaKvStores.open(url.jdbcUrl(), url.user(), url.password(), config);
            }
            case memory ->
                MemoryKvStores.open(
                        config,
                        connection == null
                                ? MemoryOptions.defaults()
                                : MemoryOptions.builder()
                                        .persistence(Persistence.WAL, Path.of(connection))
                                        .build());
        };
    }

    /** Where the store is, for messages. */
    String describe() {
        return type + " " + (connection != null ? connection : type == Backend.sqlite ? SQLITE_DEFAULT : "");
    }

    /** A PostgreSQL connection as JDBC takes it: {@code postgres://user:password@host:port/db?params} or a JDBC URL. */
    record PostgresUrl(String jdbcUrl, String user, String password) {

        static PostgresUrl parse(String connection) {
            if (connection.startsWith("jdbc:")) {
                return new PostgresUrl(connection, null, null);
            }
            if (!connection.startsWith("postgres://") && !connection.startsWith("postgresql://")) {
                throw new IllegalArgumentException(
                        "--connection for postgres must be postgres://user:password@host:port/db"
                                + " or a jdbc:postgresql: URL, but was \"" + connection + "\"");
            }
            URI uri = URI.create(connection);
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                password = parts.length > 1 ? decode(parts[1]) : null;
            }
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new PostgresUrl("jdbc:postgresql://" + host + port + path + query, user, password);
        }

        private static String decode(String text) {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
    }
}

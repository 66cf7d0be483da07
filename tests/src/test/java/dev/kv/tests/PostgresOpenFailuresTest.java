package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvDatabaseException;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import dev.kv.migrations.MigrationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every way opening a store can fail is a {@code KvException} that says what happened, and is
 * retryable only where trying again can help.
 */
class PostgresOpenFailuresTest {

    private static KvConfig config() {
        return KvConfig.builder()
                .table("open_failures")
                .format(ValueFormat.BYTEA)
                .runMigrations(true)
                .build();
    }

    @Test
    void aServerThatCannotBeReachedIsARetryableFailureSayingSo() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2";
        assertThatThrownBy(() -> JpaKvStores.open(url, "postgres", "", config()))
                .isInstanceOfSatisfying(KvDatabaseException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.sqlState()).startsWith("08");
                })
                .hasMessageStartingWith(
                        "kv could not open the store public.open_failures: the server cannot be reached [SQLSTATE 08");
    }

    @Test
    void aMissingDatabaseIsNamedAndNotRetryable() {
        String url = TestDatabase.get().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/kv_no_such_database$1");
        assertThatThrownBy(() -> JpaKvStores.open(
                        url, TestDatabase.get().user(), TestDatabase.get().password(), config()))
                .isInstanceOfSatisfying(KvDatabaseException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.sqlState()).isEqualTo("3D000");
                })
                .hasMessageContaining("the database does not exist [SQLSTATE 3D000]")
                .hasMessageContaining("kv_no_such_database");
    }

    /** The shared test server trusts every local connection, so this one starts a server that asks for passwords. */
    @Test
    void refusedCredentialsAreSaidSoAndNotRetryable() {
        try (ThrowawayPostgres server = ThrowawayPostgres.startPrimary("open-auth")) {
            server.execute("CREATE ROLE kv_app LOGIN PASSWORD 'right-secret'");
            server.requirePasswords();
            String url = "jdbc:postgresql://" + server.hostAndPort() + "/postgres";
            assertThatThrownBy(() -> JpaKvStores.open(url, "kv_app", "wrong-secret", config()))
                    .isInstanceOfSatisfying(KvDatabaseException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.sqlState()).isEqualTo("28P01");
                        assertThat(e.getMessage()).doesNotContain("wrong-secret");
                    })
                    .hasMessageStartingWith(
                            "kv could not open the store public.open_failures: the server refused the user's credentials");
            server.execute("GRANT CREATE ON SCHEMA public TO kv_app");
            try (KvStore store = JpaKvStores.open(url, "kv_app", "right-secret", config())) {
                store.set("k", "v".getBytes(StandardCharsets.UTF_8));
                assertThat(store.get("k")).isPresent();
            }
        }
    }

    /**
     * A role that may not create tables in the schema: the migration says permission denied, naming
     * the schema, never "could not connect".
     */
    @Test
    void aMissingPrivilegeIsSaidSoAndNotMistakenForAConnectionFailure() {
        String role = "kv_errors_no_create";
        try (HikariDataSource admin = TestDatabase.get().newPool("open-privilege", 1)) {
            recreateRole(admin, role);
            try {
                assertThatThrownBy(() -> JpaKvStores.open(TestDatabase.get().jdbcUrl(), role, "", config()))
                        .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.retryable())
                                .isFalse())
                        .hasMessageStartingWith("migration of public.open_failures failed: ")
                        .hasMessageContaining("permission denied for schema public")
                        .hasMessageContaining("[SQLSTATE 42501]")
                        .hasMessageNotContaining("could not connect");
            } finally {
                dropRole(admin, role);
            }
        }
    }

    /**
     * {@code CREATE SCHEMA IF NOT EXISTS} needs CREATE on the database even when the schema exists:
     * the migrations skip it then, so a role that may only create tables in its schema migrates.
     */
    @Test
    void migrationsRunForARoleThatMayCreateTablesInItsSchemaButNoSchemas() {
        String role = "kv_errors_tables_only";
        String schema = "kv_errors_app";
        try (HikariDataSource admin = TestDatabase.get().newPool("open-schema", 1)) {
            recreateRole(admin, role);
            TestDatabase.execute(admin, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            TestDatabase.execute(admin, "CREATE SCHEMA " + schema);
            TestDatabase.execute(admin, "GRANT USAGE, CREATE ON SCHEMA " + schema + " TO " + role);
            try (KvStore store = JpaKvStores.open(
                    TestDatabase.get().jdbcUrl(),
                    role,
                    "",
                    config().toBuilder().schema(schema).build())) {
                store.set("k", "v".getBytes(StandardCharsets.UTF_8));
                assertThat(store.get("k")).isPresent();
            } finally {
                TestDatabase.execute(admin, "DROP SCHEMA " + schema + " CASCADE");
                dropRole(admin, role);
            }
        }
    }

    private static void recreateRole(HikariDataSource admin, String role) {
        dropRole(admin, role);
        TestDatabase.execute(admin, "CREATE ROLE " + role + " LOGIN");
    }

    private static void dropRole(HikariDataSource admin, String role) {
        TestDatabase.execute(
                admin,
                "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN "
                        + "EXECUTE 'DROP OWNED BY " + role + "'; EXECUTE 'DROP ROLE " + role + "'; END IF; END $$");
    }
}

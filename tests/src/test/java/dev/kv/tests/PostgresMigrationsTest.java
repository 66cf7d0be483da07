package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.InvalidIdentifierException;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.jpa.JpaKvStores;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Liquibase changelog: what it creates, for which parameters, and that rollback undoes it. */
class PostgresMigrationsTest {

    private static HikariDataSource pool;

    @BeforeAll
    static void openPool() {
        pool = TestDatabase.get().newPool("migrations", 2);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static List<String> query(String sql, String... parameters) {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static KvTableDefinition fresh(String schema, String table, boolean unlogged, String valueType) {
        KvTableDefinition definition = new KvTableDefinition(schema, table, unlogged, valueType);
        KvMigrations.rollback(pool, definition);
        TestDatabase.execute(pool, "DROP TABLE IF EXISTS \"" + schema + "\".\"" + table + "\"");
        return definition;
    }

    private static List<String> columns(String schema, String table) {
        return query(
                """
                SELECT column_name || ' ' || data_type || ' ' || is_nullable || coalesce(' ' || collation_name, '')
                FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position""",
                schema,
                table);
    }

    private static List<String> indexes(String schema, String table) {
        return query(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND tablename = ? ORDER BY indexname",
                schema,
                table);
    }

    private static String persistence(String schema, String table) {
        return query("SELECT relpersistence::text FROM pg_class WHERE oid = to_regclass(?)", schema + "." + table)
                .get(0);
    }

    @Test
    void updateCreatesTheTableWithCollatedKeyAndItsIndexes() {
        KvTableDefinition table = fresh("public", "migrated_jsonb", false, "jsonb");
        KvMigrations.update(pool, table);

        assertThat(columns("public", "migrated_jsonb"))
                .containsExactly(
                        "key_hash bigint NO",
                        "key text NO C",
                        "value jsonb NO",
                        "expires_at timestamp with time zone YES",
                        "created_at timestamp with time zone NO",
                        "updated_at timestamp with time zone NO",
                        "version bigint NO",
                        "idle_micros bigint YES");
        assertThat(indexes("public", "migrated_jsonb"))
                .containsExactly(
                        "CREATE INDEX migrated_jsonb_expires_idx ON public.migrated_jsonb USING btree (expires_at) WHERE (expires_at IS NOT NULL)",
                        "CREATE INDEX migrated_jsonb_key_idx ON public.migrated_jsonb USING btree (key)",
                        "CREATE UNIQUE INDEX migrated_jsonb_pkey ON public.migrated_jsonb USING btree (key_hash)");
        assertThat(persistence("public", "migrated_jsonb")).isEqualTo("p");
    }

    @Test
    void updateIsANoOpWhenTheTableIsCurrent() {
        KvTableDefinition table = fresh("public", "migrated_twice", false, "jsonb");
        KvMigrations.update(pool, table);
        TestDatabase.execute(pool, "INSERT INTO migrated_twice VALUES (1, 'k', '1', NULL, now(), now(), 1)");
        KvMigrations.update(pool, table);
        assertThat(query("SELECT key FROM migrated_twice")).containsExactly("k");
        assertThat(query("SELECT count(*)::text FROM migrated_twice_changelog")).containsExactly("4");
    }

    @Test
    void parametersChooseSchemaPersistenceAndValueType() {
        KvTableDefinition table = fresh("kv_cache", "sessions", true, "bytea");
        KvMigrations.update(pool, table);
        assertThat(columns("kv_cache", "sessions")).contains("value bytea NO");
        assertThat(persistence("kv_cache", "sessions")).isEqualTo("u");
        assertThat(query("SELECT tablename FROM pg_tables WHERE schemaname = 'kv_cache' ORDER BY 1"))
                .containsExactly("sessions", "sessions_changelog", "sessions_changelog_lock", "sessions_reset_marker");
        assertThat(persistence("kv_cache", "sessions_reset_marker"))
                .as("emptied by crash recovery with the table")
                .isEqualTo("u");
        assertThat(query("SELECT count(*)::text FROM kv_cache.sessions_reset_marker"))
                .containsExactly("1");
    }

    @Test
    void withoutThePrefixIndexTheTableHasOnlyItsKeyAndExpiryIndexesAndScansStillWork() {
        fresh("public", "no_key_index", false, "jsonb");
        KvConfig config = KvConfig.builder()
                .table("no_key_index")
                .prefixIndex(false)
                .runMigrations(true)
                .build();
        try (KvStore store = JpaKvStores.open(pool, config)) {
            assertThat(indexes("public", "no_key_index"))
                    .containsExactly(
                            "CREATE INDEX no_key_index_expires_idx ON public.no_key_index USING btree (expires_at) WHERE (expires_at IS NOT NULL)",
                            "CREATE UNIQUE INDEX no_key_index_pkey ON public.no_key_index USING btree (key_hash)");
            store.set("user:2", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            store.set("user:1", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(store.keys("user:")).containsExactly("user:1", "user:2");
        }
        KvMigrations.rollback(pool, KvTableDefinition.of(config));
        assertThat(query("SELECT to_regclass('public.no_key_index')::text")).containsOnlyNulls();
    }

    @Test
    void rollbackDropsTheTableAndUpdateCreatesItAgain() {
        KvTableDefinition table = fresh("public", "rolled_back", false, "jsonb");
        KvMigrations.update(pool, table);
        KvMigrations.rollback(pool, table);
        assertThat(query("SELECT to_regclass('public.rolled_back')::text")).containsOnlyNulls();
        assertThat(indexes("public", "rolled_back")).isEmpty();
        KvMigrations.update(pool, table);
        assertThat(indexes("public", "rolled_back")).hasSize(3);
    }

    private static KvTableDefinition withChangeStream(KvTableDefinition table) {
        return new KvTableDefinition(table.schema(), table.table(), table.unlogged(), table.valueType(), true, true);
    }

    private static List<String> streamObjects(String schema, String table) {
        return query(
                """
                SELECT relname || ' ' || relkind::text || relpersistence::text FROM pg_class
                WHERE relnamespace = to_regnamespace(?) AND relname IN (? || '_stream', ? || '_stream_seq', ? || '_consumer')
                UNION ALL SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(? || '.' || ?) AND tgname = 'kv_change_stream'
                UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = to_regnamespace(?) AND proname = ? || '_stream_capture'
                ORDER BY 1""",
                schema,
                table,
                table,
                table,
                schema,
                table,
                schema,
                table);
    }

    @Test
    void theChangeStreamCreatesItsTablesSequenceTriggerAndFunctionAndRollbackDropsThem() {
        KvTableDefinition table = withChangeStream(fresh("kv_streams", "streamed", true, "bytea"));
        KvMigrations.update(pool, table);
        assertThat(streamObjects("kv_streams", "streamed"))
                .containsExactly(
                        "kv_change_stream",
                        "streamed_consumer ru",
                        "streamed_stream ru",
                        "streamed_stream_capture",
                        "streamed_stream_seq Su");
        assertThat(columns("kv_streams", "streamed_stream"))
                .containsExactly(
                        "seq bigint NO",
                        "key text NO C",
                        "type text NO",
                        "version bigint NO",
                        "value bytea YES",
                        "expires_at timestamp with time zone YES",
                        "at timestamp with time zone NO");
        KvMigrations.rollback(pool, table);
        assertThat(streamObjects("kv_streams", "streamed")).isEmpty();
        assertThat(query("SELECT to_regclass('kv_streams.streamed')::text")).containsOnlyNulls();
    }

    @Test
    void anExistingTableGetsTheChangeStreamWhenMigratedAgainWithIt() {
        KvTableDefinition table = fresh("public", "streamed_later", false, "jsonb");
        KvMigrations.update(pool, table);
        assertThat(streamObjects("public", "streamed_later")).isEmpty();
        KvMigrations.update(pool, withChangeStream(table));
        assertThat(streamObjects("public", "streamed_later")).hasSize(5);
        assertThat(query("SELECT count(*)::text FROM streamed_later_changelog")).containsExactly("6");
    }

    @Test
    void aStoreWithTheChangeStreamOnATableWithoutItDoesNotOpen() {
        fresh("public", "not_streamed", false, "jsonb");
        KvConfig plain = KvConfig.builder().table("not_streamed").build();
        KvMigrations.update(pool, KvTableDefinition.of(plain));
        assertThatThrownBy(() -> JpaKvStores.open(
                        pool, plain.toBuilder().changeStream(true).build()))
                .isInstanceOf(KvException.class)
                .hasMessage(
                        "the change stream of public.not_streamed is on, but the table has no not_streamed_stream,"
                                + " not_streamed_consumer or trigger kv_change_stream: run the migrations with changeStream(true)");
        try (KvStore store = JpaKvStores.open(
                pool, plain.toBuilder().changeStream(true).runMigrations(true).build())) {
            store.set("k", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(store.changes().read(0, 10)).hasSize(1);
        }
    }

    @Test
    void updateAfterRollbackRecreatesEverythingAnyNumberOfTimesInOneJvmForEveryParameterCombination() {
        for (boolean unlogged : new boolean[] {false, true}) {
            for (String valueType : List.of("jsonb", "bytea")) {
                for (boolean keyIndex : new boolean[] {false, true}) {
                    for (boolean changeStream : new boolean[] {false, true}) {
                        String name = "cycled_" + (unlogged ? "u" : "l") + valueType.charAt(0) + (keyIndex ? "i" : "n")
                                + (changeStream ? "s" : "p");
                        fresh("kv_cycles", name, unlogged, valueType);
                        KvTableDefinition table =
                                new KvTableDefinition("kv_cycles", name, unlogged, valueType, keyIndex, changeStream);
                        for (int cycle = 1; cycle <= 3; cycle++) {
                            KvMigrations.update(pool, table);
                            KvMigrations.update(pool, table);
                            assertThat(indexes("kv_cycles", name))
                                    .as("%s, cycle %d", table, cycle)
                                    .hasSize(keyIndex ? 3 : 2);
                            assertThat(streamObjects("kv_cycles", name))
                                    .as("%s, cycle %d", table, cycle)
                                    .hasSize(changeStream ? 5 : 0);
                            assertThat(query("SELECT count(*)::text FROM kv_cycles." + name + "_changelog"))
                                    .as("%s, cycle %d", table, cycle)
                                    .containsExactly(Integer.toString(4 + (changeStream ? 2 : 0) + (unlogged ? 1 : 0)));
                            assertThat(query("SELECT to_regclass('kv_cycles." + name + "_reset_marker') IS NOT NULL"))
                                    .as("%s, cycle %d", table, cycle)
                                    .containsExactly(unlogged ? "t" : "f");
                            KvMigrations.rollback(pool, table);
                            assertThat(query("SELECT to_regclass('kv_cycles." + name + "')::text"))
                                    .as("%s, cycle %d", table, cycle)
                                    .containsOnlyNulls();
                            assertThat(streamObjects("kv_cycles", name)).isEmpty();
                            assertThat(query("SELECT to_regclass('kv_cycles." + name + "_reset_marker')::text"))
                                    .containsOnlyNulls();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNewTableIsCreatedAfterAnotherTableWasFoundUpToDate() {
        KvTableDefinition current = withChangeStream(fresh("public", "up_to_date", false, "jsonb"));
        KvTableDefinition next = withChangeStream(fresh("public", "created_next", false, "jsonb"));
        KvMigrations.update(pool, current);
        KvMigrations.update(pool, current);
        KvMigrations.update(pool, next);
        assertThat(streamObjects("public", "created_next")).hasSize(5);
        assertThat(indexes("public", "created_next")).hasSize(3);
    }

    @Test
    void eachTableHasItsOwnHistory() {
        KvTableDefinition first = fresh("public", "history_a", false, "jsonb");
        KvTableDefinition second = fresh("public", "history_b", false, "bytea");
        KvMigrations.update(pool, first);
        KvMigrations.update(pool, second);
        KvMigrations.rollback(pool, first);
        assertThat(query("SELECT to_regclass('public.history_a')::text")).containsOnlyNulls();
        assertThat(columns("public", "history_b")).contains("value bytea NO");
    }

    @Test
    void identifiersAreCheckedBeforeAnythingReachesLiquibase() {
        assertThatThrownBy(() -> new KvTableDefinition("public", "t\"; DROP TABLE history_b; --", false, "jsonb"))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageStartingWith("table must be 1 to 48 characters");
        assertThatThrownBy(() -> new KvTableDefinition("public", "t", false, "text"))
                .hasMessage("valueType must be jsonb or bytea, but was \"text\"");
    }
}

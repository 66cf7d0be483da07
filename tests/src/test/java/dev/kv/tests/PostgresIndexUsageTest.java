package dev.kv.tests;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import dev.kv.testing.CountingDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prefix and expiry queries the store sends are served by their indexes on a table of 100k
 * keys, also in the generic plan PostgreSQL switches to after a prepared statement has run five
 * times on a connection — where {@code key LIKE $1 || '%'} falls back to a sequential scan.
 */
class PostgresIndexUsageTest {

    private static final int ROWS = 100_000;

    private static PostgresTables tables;
    private static CountingDataSource counting;
    private static KvStore store;

    @BeforeAll
    static void fillTable() {
        tables = new PostgresTables(
                "index_usage", KvConfig.builder().format(ValueFormat.JSONB).build());
        TestDatabase.execute(
                tables.pool,
                """
                INSERT INTO index_usage (key_hash, key, value, expires_at, created_at, updated_at)
                SELECT i, 'user:' || i, '1', CASE WHEN mod(i, 10) = 0 THEN now() + interval '1 hour' END, now(), now()
                FROM generate_series(1, %d) AS i"""
                        .formatted(ROWS));
        TestDatabase.execute(tables.pool, "ANALYZE index_usage");
        counting = new CountingDataSource(tables.pool);
        store = JpaKvStores.open(counting, tables.apply(KvConfig.builder()).build());
    }

    @AfterAll
    static void dropTable() {
        store.close();
        tables.close();
    }

    private static String sqlOf(Runnable call) {
        counting.reset();
        call.run();
        assertThat(counting.roundTrips()).hasSize(1);
        return counting.roundTrips().get(0);
    }

    /** EXPLAIN of the statement as a generic plan: parameters unknown, as after the fifth execution. */
    private static String genericPlan(String sql, String parameterTypes, String arguments) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        int parameter = 0;
        for (char c : sql.toCharArray()) {
            numbered.append(c == '?' ? "$" + ++parameter : String.valueOf(c));
        }
        try (Connection connection = tables.pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("PREPARE probe(" + parameterTypes + ") AS " + numbered);
            List<String> plan = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE probe(" + arguments + ")")) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            } finally {
                statement.execute("DEALLOCATE probe");
                statement.execute("RESET plan_cache_mode");
            }
            return String.join("\n", plan);
        }
    }

    @Test
    void keysByPrefixUsesTheKeyIndexInAGenericPlan() throws SQLException {
        String sql = sqlOf(() -> store.keys("user:4242"));
        String plan = genericPlan(sql, "timestamptz, text, text", "now(), 'user:4242', 'user:4243'");
        assertThat(plan).contains("index_usage_key_idx").doesNotContain("Seq Scan");
    }

    @Test
    void rangeScansDescendingWithACursorUseTheKeyIndexInAGenericPlan() throws SQLException {
        String sql = sqlOf(() -> store.keys(ScanOptions.range("user:1", "user:2")
                .descending()
                .after("user:15")
                .limit(10)));
        String plan =
                genericPlan(sql, "timestamptz, text, text, text, int", "now(), 'user:1', 'user:2', 'user:15', 10");
        assertThat(plan)
                .contains("Index Scan Backward using index_usage_key_idx")
                .doesNotContain("Seq Scan");
    }

    @Test
    void countByPrefixUsesTheKeyIndexInAGenericPlan() throws SQLException {
        String sql = sqlOf(() -> store.count(ScanOptions.prefix("user:4242")));
        String plan = genericPlan(sql, "timestamptz, text, text", "now(), 'user:4242', 'user:4243'");
        assertThat(plan).contains("index_usage_key_idx").doesNotContain("Seq Scan");
    }

    @Test
    void aGlobScansItsLiteralPrefixThroughTheKeyIndexInAGenericPlan() throws SQLException {
        String sql = sqlOf(() -> store.keys(ScanOptions.glob("user:42?1")));
        String plan = genericPlan(sql, "timestamptz, text, text, text", "now(), 'user:42', 'user:43', '^user:42.1$'");
        assertThat(plan).contains("index_usage_key_idx").doesNotContain("Seq Scan");
    }

    @Test
    void aNestedNamespaceScansAndCountsItsPrefixThroughTheKeyIndexInAGenericPlan() throws SQLException {
        KvStore nested = store.namespace("tenant", "a");
        String keys = sqlOf(() -> nested.keys("4242"));
        assertThat(genericPlan(keys, "timestamptz, text, text", "now(), ':2:tenant:a:4242', ':2:tenant:a:4243'"))
                .contains("index_usage_key_idx")
                .doesNotContain("Seq Scan");
        String count = sqlOf(() -> nested.count(ScanOptions.all()));
        assertThat(genericPlan(count, "timestamptz, text, text", "now(), ':2:tenant:a:', ':2:tenant:a;'"))
                .contains("index_usage_key_idx")
                .doesNotContain("Seq Scan");
    }

    @Test
    void likeWithAParameterWouldNotUseTheIndexInAGenericPlan() throws SQLException {
        String plan = genericPlan(
                "SELECT key FROM index_usage WHERE key LIKE ? || '%' ORDER BY key LIMIT 10", "text", "'user:4242'");
        assertThat(plan).doesNotContain("Index Cond");
    }

    @Test
    void keysByPrefixKeepsWorkingAfterTheDriverSwitchesToAServerPreparedStatement() {
        for (int i = 0; i < 10; i++) {
            assertThat(store.keys("user:4242"))
                    .hasSize(11)
                    .startsWith("user:4242", "user:42420")
                    .endsWith("user:42429");
        }
    }

    @Test
    void cleanupFindsExpiredRowsThroughThePartialExpiryIndex() throws SQLException {
        String sql = sqlOf(store::cleanupExpired);
        String plan = genericPlan(sql, "timestamptz, int", "now(), 1000");
        assertThat(plan).contains("index_usage_expires_idx", "index_usage_pkey").doesNotContain("Seq Scan");
    }

    @Test
    void pointReadsUseThePrimaryKey() throws SQLException {
        store.set("probe", v("x"), Duration.ofMinutes(1));
        String sql = sqlOf(() -> store.get("probe"));
        assertThat(genericPlan(sql, "bigint", "42")).contains("index_usage_pkey");
    }
}

package dev.kv.tests;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvDatabaseException;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import org.junit.jupiter.api.Test;

/** Database failures reach the caller as {@link KvDatabaseException}, telling whether a retry can help. */
class PostgresDatabaseFailureTest {

    @Test
    void aConnectionKilledByTheServerIsARetryableFailure() {
        KvConfig config = KvConfig.builder()
                .table("failures")
                .format(ValueFormat.JSONB)
                .runMigrations(true)
                .applicationName("kv-failure-test")
                .build();
        try (HikariDataSource pool = TestDatabase.get().newPool("failures", 1)) {
            try (KvStore store = JpaKvStores.open(
                    TestDatabase.get().jdbcUrl(),
                    TestDatabase.get().user(),
                    TestDatabase.get().password(),
                    config)) {
                store.set("k", v("a"));
                TestDatabase.execute(
                        pool,
                        """
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE application_name = 'kv-failure-test' AND pid <> pg_backend_pid()""");
                assertThatThrownBy(() -> store.get("k")).isInstanceOfSatisfying(KvDatabaseException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.retryable())
                            .as(e.getMessage())
                            .isTrue();
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).startsWith("kv get failed");
                });
            }
        }
    }

    @Test
    void aMissingTableIsNotRetryable() {
        KvConfig config =
                KvConfig.builder().table("dropped_later").runMigrations(true).build();
        try (HikariDataSource pool = TestDatabase.get().newPool("dropped", 2);
                KvStore store = JpaKvStores.open(pool, config)) {
            TestDatabase.execute(pool, "DROP TABLE dropped_later");
            assertThatThrownBy(() -> store.set("k", v("a")))
                    .isInstanceOfSatisfying(KvDatabaseException.class, e -> {
                        org.assertj.core.api.Assertions.assertThat(e.retryable())
                                .isFalse();
                        org.assertj.core.api.Assertions.assertThat(e.sqlState()).isEqualTo("42P01");
                    })
                    .hasMessageStartingWith("kv set failed [SQLSTATE 42P01]");
            TestDatabase.execute(pool, "DROP TABLE dropped_later_changelog");
        }
    }
}

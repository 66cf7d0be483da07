package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hibernate's schema validation ({@code hbm2ddl.auto=validate}) runs when a store opens: it passes
 * on the tables the migrations create, so mapping and migrations cannot drift apart unnoticed.
 */
class PostgresSchemaValidationTest {

    private static HikariDataSource pool;

    @BeforeAll
    static void openPool() {
        pool = TestDatabase.get().newPool("schema-validation", 4);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void migratedTablesOfBothFormatsValidate() {
        for (ValueFormat format : ValueFormat.values()) {
            KvConfig config = KvConfig.builder()
                    .schema("validated")
                    .table("v_" + format.columnType())
                    .format(format)
                    .runMigrations(true)
                    .build();
            assertThatCode(() -> JpaKvStores.open(pool, config).close())
                    .as(format.name())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aStoreRefusesToOpenOnATableOfTheOtherFormat() {
        KvConfig bytea = KvConfig.builder()
                .table("v_format")
                .format(ValueFormat.BYTEA)
                .runMigrations(true)
                .build();
        JpaKvStores.open(pool, bytea).close();
        KvConfig jsonb =
                bytea.toBuilder().format(ValueFormat.JSONB).runMigrations(false).build();
        assertThatThrownBy(() -> JpaKvStores.open(pool, jsonb))
                .isInstanceOf(KvException.class)
                .hasMessage(
                        "could not open a kv store on public.v_format: Schema validation: wrong column type encountered"
                                + " in column [value] in table [v_format]; found [bytea (Types#BINARY)], but expecting [jsonb (Types#JSON)]");
    }

    @Test
    void aDriftedTableFailsValidation() {
        TestDatabase.execute(pool, "DROP TABLE IF EXISTS drifted");
        TestDatabase.execute(
                pool,
                """
                CREATE TABLE drifted (key_hash bigint PRIMARY KEY, key text NOT NULL, value jsonb NOT NULL,
                  expires_at timestamptz, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
                  idle_micros bigint)""");
        KvConfig config = KvConfig.builder().table("drifted").build();
        assertThatThrownBy(() -> JpaKvStores.open(pool, config))
                .isInstanceOf(KvException.class)
                .hasMessageContaining("missing column [version]");
        assertThat(config.validateSchema()).isTrue();
        assertThatCode(() -> JpaKvStores.open(
                                pool, config.toBuilder().validateSchema(false).build())
                        .close())
                .doesNotThrowAnyException();
    }
}

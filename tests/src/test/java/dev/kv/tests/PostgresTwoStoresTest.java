package dev.kv.tests;

import static dev.kv.contract.ContractValues.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.contract.UpdateContract;
import dev.kv.jpa.JpaKvStores;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two independent stores — two pools, two EntityManagerFactories, as two application instances
 * would have — on one table: the row lock of {@code update} serialises them, and no increment is lost.
 */
class PostgresTwoStoresTest {

    private static PostgresTables tables;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "two_stores", KvConfig.builder().format(ValueFormat.JSONB).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    @Test
    void concurrentIncrementsFromTwoStoresAreNeverLost() throws Exception {
        try (HikariDataSource firstPool = TestDatabase.get().newPool("first", 8);
                HikariDataSource secondPool = TestDatabase.get().newPool("second", 8);
                KvStore first = JpaKvStores.open(
                        firstPool, tables.apply(KvConfig.builder()).build());
                KvStore second = JpaKvStores.open(
                        secondPool, tables.apply(KvConfig.builder()).build())) {
            UpdateContract.incrementConcurrently(List.of(first, second), "counter:shared", 8, 500);
            assertThat(text(first.get("counter:shared"))).isEqualTo("4000");
            assertThat(first.getEntry("counter:shared").orElseThrow().version()).isEqualTo(4000);

            UpdateContract.incrementConcurrently(List.of(first, second), "counter:fresh", 8, 1);
            assertThat(text(second.get("counter:fresh"))).isEqualTo("8");
        }
    }
}

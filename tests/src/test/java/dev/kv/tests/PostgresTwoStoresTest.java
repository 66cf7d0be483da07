package dev.kv.tests;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Lease;
import dev.kv.ValueFormat;
import dev.kv.contract.Concurrently;
import dev.kv.contract.MutableClock;
import dev.kv.contract.UpdateContract;
import dev.kv.jpa.JpaKvStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two independent stores — two pools, two EntityManagerFactories, as two application instances
 * would have — on one table: the row lock of {@code update} serialises them, and no increment is lost; their
 * locks hand out fencing tokens that increase across both.
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

    /**
     * Threads of two stores take one lock in turn, each time released or left to expire: the tokens, noted
     * while the lock is held (so in the order the holdings happened), strictly increase.
     */
    @Test
    void fencingTokensStrictlyIncreaseAcrossTwoStores() throws Exception {
        MutableClock clock = new MutableClock(START);
        try (HikariDataSource firstPool = TestDatabase.get().newPool("first", 4);
                HikariDataSource secondPool = TestDatabase.get().newPool("second", 4);
                KvStore first = JpaKvStores.open(
                        firstPool, tables.apply(KvConfig.builder().clock(clock)).build());
                KvStore second = JpaKvStores.open(
                        secondPool,
                        tables.apply(KvConfig.builder().clock(clock)).build())) {
            List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
            Concurrently.results(8, thread -> {
                KvStore store = thread % 2 == 0 ? first : second;
                int taken = 0;
                while (taken < 25) {
                    Optional<Lease> lease = store.tryLock("lock:shared", "worker-" + thread, Duration.ofMinutes(1));
                    if (lease.isPresent()) {
                        tokens.add(lease.get().token());
                        taken++;
                        if (taken % 5 == 0) {
                            store.delete("lock:shared");
                        } else {
                            store.unlock(lease.get());
                        }
                    }
                }
                return taken;
            });
            assertThat(tokens).hasSize(200).isSorted().doesNotHaveDuplicates();

            Lease stale = first.tryLock("lock:expiring", "first", Duration.ofSeconds(1))
                    .orElseThrow();
            clock.advance(Duration.ofSeconds(1));
            Lease taken = second.tryLock("lock:expiring", "second", Duration.ofSeconds(1))
                    .orElseThrow();
            assertThat(taken.token()).isGreaterThan(stale.token());
            assertThat(first.unlock(stale)).isFalse();
            assertThat(first.lockStatus("lock:expiring")).map(Lease::owner).contains("second");
        }
    }
}

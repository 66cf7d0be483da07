package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.StoreClosedException;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import dev.kv.memory.MemoryKvStores;
import dev.kv.memory.MemoryOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A closed store refuses every operation with {@link StoreClosedException}, on every backend: the
 * in-memory store, a PostgreSQL store on its own pool and one on the caller's DataSource. Closing
 * again is harmless. Not in the contract kit: a view ({@code namespace}) and the container's injected
 * store do not own their store, and their {@code close()} leaves it open.
 */
class ClosedStoreTest {

    private static final byte[] VALUE = "\"v\"".getBytes(StandardCharsets.UTF_8);
    private static HikariDataSource pool;

    @BeforeAll
    static void openPool() {
        pool = TestDatabase.get().newPool("closed-store", 2);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static KvConfig config() {
        return KvConfig.builder()
                .table("closed_store")
                .format(ValueFormat.JSONB)
                .runMigrations(true)
                .build();
    }

    static Stream<Arguments> backends() {
        Function<KvConfig, KvStore> memory = config -> MemoryKvStores.open(config, MemoryOptions.defaults());
        Function<KvConfig, KvStore> ownPool = config -> JpaKvStores.open(
                TestDatabase.get().jdbcUrl(),
                TestDatabase.get().user(),
                TestDatabase.get().password(),
                config);
        Function<KvConfig, KvStore> dataSource = config -> JpaKvStores.open(pool, config);
        return Stream.of(
                Arguments.of("memory", memory),
                Arguments.of("PostgreSQL on its own pool", ownPool),
                Arguments.of("PostgreSQL on a DataSource", dataSource));
    }

    private static List<Consumer<KvStore>> everyOperation() {
        return List.of(
                s -> s.get("k"),
                s -> s.getEntry("k"),
                s -> s.exists("k"),
                s -> s.ttl("k"),
                s -> s.set("k", VALUE),
                s -> s.set("k", VALUE, Duration.ofMinutes(1)),
                s -> s.setIfAbsent("k", VALUE),
                s -> s.setIfVersion("k", VALUE, 1),
                s -> s.deleteIfVersion("k", 1),
                s -> s.delete("k"),
                s -> s.expire("k", Duration.ofMinutes(1)),
                s -> s.persist("k"),
                s -> s.increment("n", 1),
                s -> s.update("k", current -> VALUE),
                s -> s.compareAndSwap("k", VALUE, VALUE),
                s -> s.getAndSet("k", VALUE),
                s -> s.getAndDelete("k"),
                s -> s.tryLock("lock", "owner", Duration.ofMinutes(1)),
                s -> s.keys("k"),
                s -> s.keys(ScanOptions.all()),
                s -> s.scan(ScanOptions.all()),
                s -> s.count(ScanOptions.all()),
                s -> s.delete(ScanOptions.all()),
                s -> s.clear(),
                s -> s.getMany(List.of("k")),
                s -> s.setMany(Map.of("k", VALUE)),
                s -> s.deleteMany(List.of("k")),
                s -> s.apply(List.of(Mutation.put("k", VALUE))),
                s -> s.inTransaction(tx -> null),
                s -> s.cleanupExpired(),
                s -> s.stats());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aClosedStoreRefusesEveryOperationWithOneTypedException(String backend, Function<KvConfig, KvStore> open) {
        KvStore store = open.apply(config());
        store.set("k", VALUE);
        store.close();
        List<Consumer<KvStore>> operations = everyOperation();
        for (int i = 0; i < operations.size(); i++) {
            Consumer<KvStore> operation = operations.get(i);
            assertThatThrownBy(() -> operation.accept(store))
                    .as("%s: operation %d of a closed store", backend, i)
                    .isInstanceOf(StoreClosedException.class)
                    .hasMessageEndingWith(" is closed");
        }
        assertThatCode(store::close).as("closing again").doesNotThrowAnyException();
    }
}

package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvTimeoutException;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The waits a store's configuration bounds end in a typed {@link KvTimeoutException}: a row lock another
 * connection holds, a statement that runs too long, a transaction held open by a slow function (whose
 * row lock the server releases), a pool with no free connection. The types and the advice are asserted,
 * not the times.
 */
class PostgresTimeoutsTest {

    private static final String TABLE = "timeouts";
    private static HikariDataSource admin;

    @BeforeAll
    static void createTable() {
        admin = TestDatabase.get().newPool("timeouts-admin", 4);
        try (KvStore store = open(settings())) {
            store.clear();
        }
    }

    @AfterAll
    static void closePool() {
        admin.close();
    }

    @BeforeEach
    void emptyTable() {
        TestDatabase.execute(admin, "TRUNCATE " + TABLE);
    }

    private static KvConfig.Builder settings() {
        return KvConfig.builder().table(TABLE).format(ValueFormat.BYTEA).runMigrations(true);
    }

    private static KvStore open(KvConfig.Builder settings) {
        return JpaKvStores.open(
                TestDatabase.get().jdbcUrl(),
                TestDatabase.get().user(),
                TestDatabase.get().password(),
                settings.build());
    }

    @Test
    void aWriteWaitingForARowLockAnotherConnectionHoldsFailsWithARetryableTimeout() throws SQLException {
        try (KvStore store = open(settings().lockTimeout(Duration.ofMillis(300)))) {
            store.set("k", utf8("v1"));
            try (Connection holder = admin.getConnection()) {
                lockRow(holder, "k");
                for (Runnable write : new Runnable[] {
                    () -> store.set("k", utf8("v2")),
                    () -> store.increment("k", 1),
                    () -> store.update("k", current -> utf8("v3")),
                    () -> store.delete("k")
                }) {
                    assertThatThrownBy(write::run).isInstanceOfSatisfying(KvTimeoutException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("55P03");
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.outcomeUnknown()).isFalse();
                    });
                }
                holder.rollback();
            }
            assertThat(store.get("k"))
                    .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("v1")));
            store.set("k", utf8("v2"));
        }
    }

    @Test
    void aStatementRunningLongerThanTheStatementTimeoutFailsAndIsNotRetryable() throws SQLException {
        try (KvStore store = open(settings().lockTimeout(Duration.ZERO).statementTimeout(Duration.ofMillis(300)))) {
            store.set("k", utf8("v1"));
            try (Connection holder = admin.getConnection()) {
                lockRow(holder, "k");
                assertThatThrownBy(() -> store.set("k", utf8("v2")))
                        .isInstanceOfSatisfying(KvTimeoutException.class, e -> {
                            assertThat(e.sqlState()).isEqualTo("57014");
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.outcomeUnknown()).isFalse();
                        });
                holder.rollback();
            }
            assertThat(store.get("k"))
                    .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("v1")));
        }
    }

    /**
     * The function blocks until another connection has locked the row the update holds: it can only
     * once the server has ended the store's session, past the transaction timeout.
     */
    @Test
    void anUpdateWhoseFunctionOutlivesTheTransactionTimeoutFailsTypedAndItsRowLockIsReleased() {
        try (KvStore store = open(settings().transactionTimeout(Duration.ofMillis(500)))) {
            store.set("k", utf8("v1"));
            assertThatThrownBy(() -> store.update("k", current -> {
                        lockRowFromAnotherConnection("k");
                        return utf8("v2");
                    }))
                    .isInstanceOfSatisfying(KvTimeoutException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.outcomeUnknown()).isFalse();
                        assertThat(e.getMessage()).contains("longer than its transactionTimeout of PT0.5S");
                    });
            assertThat(store.get("k"))
                    .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("v1")));
        }
    }

    @Test
    void aTransactionOutlivingTheTransactionTimeoutFailsTypedAndWritesNothing() {
        try (KvStore store = open(settings().transactionTimeout(Duration.ofMillis(500)))) {
            store.set("k", utf8("v1"));
            assertThatThrownBy(() -> store.inTransaction(tx -> {
                        tx.set("k", utf8("v2"));
                        lockRowFromAnotherConnection("k");
                        return null;
                    }))
                    .isInstanceOf(KvTimeoutException.class);
            assertThat(store.get("k"))
                    .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("v1")));
        }
    }

    @Test
    void anOperationFindingNoFreeConnectionInThePoolFailsWithARetryableTimeout() throws Exception {
        try (KvStore store = open(
                settings().poolSize(1).connectionTimeout(Duration.ofMillis(250)).transactionTimeout(Duration.ZERO))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<?> holder = CompletableFuture.runAsync(() -> store.update("held", current -> {
                holding.countDown();
                await(release);
                return utf8("v");
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            try {
                assertThatThrownBy(() -> store.get("other")).isInstanceOfSatisfying(KvTimeoutException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.outcomeUnknown()).isFalse();
                    assertThat(e.sqlState()).isNull();
                });
            } finally {
                release.countDown();
            }
            holder.get(30, TimeUnit.SECONDS);
            assertThat(store.get("held")).isPresent();
        }
    }

    /** Locks the row of {@code key} in a transaction of {@code connection}, left open. */
    private static void lockRow(Connection connection, String key) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement lock =
                connection.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE key = ? FOR UPDATE")) {
            lock.setString(1, key);
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).isTrue();
            }
        }
    }

    /** Waits, up to a minute, to lock the row of {@code key} from a connection of its own, then lets it go. */
    private static void lockRowFromAnotherConnection(String key) {
        try (Connection other = admin.getConnection()) {
            try (Statement statement = other.createStatement()) {
                statement.execute("SET lock_timeout = '60s'");
            }
            lockRow(other, key);
            other.rollback();
            other.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

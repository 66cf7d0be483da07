package dev.kv.tests;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.Change;
import dev.kv.ChangeStream;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import dev.kv.testing.CountingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL change stream beyond the contract: seqs follow commit order, so a reader never
 * sees a change appear behind one it has already passed, and every writer of the table is recorded.
 */
class PostgresChangeStreamTest {

    private static PostgresTables tables;
    private KvStore store;
    private ChangeStream changes;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "change_stream",
                KvConfig.builder().format(ValueFormat.JSONB).changeStream(true).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    @BeforeEach
    void openStore() {
        tables.deleteAllEntries();
        store = JpaKvStores.open(
                tables.pool, tables.apply(KvConfig.builder().changeStream(true)).build());
        changes = store.changes();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static final String INSERT =
            "INSERT INTO change_stream (key_hash, key, value, created_at, updated_at) VALUES (?, ?, '1', now(), now())";

    private static void insert(Connection connection, long keyHash, String key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, keyHash);
            insert.setString(2, key);
            insert.executeUpdate();
        }
    }

    @Test
    void transactionsCommittingInTheOppositeOrderOfTheirWritesAreStreamedInCommitOrder() throws Exception {
        try (Connection first = tables.pool.getConnection();
                Connection second = tables.pool.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            insert(first, 1, "written-first");
            insert(second, 2, "written-second");
            second.commit();
            List<Change> seen = changes.read(0, 10);
            assertThat(seen).extracting(Change::key).containsExactly("written-second");

            first.commit();
            List<Change> after = changes.read(seen.get(0).seq(), 10);
            assertThat(after).extracting(Change::key).containsExactly("written-first");
            assertThat(after.get(0).seq()).isEqualTo(seen.get(0).seq() + 1);
        }
    }

    @Test
    void aReaderPollingDuringConcurrentWritesNeverSkipsAChange() throws Exception {
        int writers = 6;
        int writesEach = 150;
        List<Change> seen = StreamPolling.readWhileWriting(changes, writers, writesEach, (writer, i) -> {
            if (i % 3 == 0) {
                store.inTransaction(tx -> {
                    tx.set("w" + writer + ":tx", v("x"));
                    return null;
                });
            } else {
                store.set("w" + writer + ":" + i, v("x"));
            }
        });
        assertThat(seen).hasSize(writers * writesEach);
        Set<String> distinct = new HashSet<>();
        seen.forEach(change -> distinct.add(change.key() + " v" + change.version()));
        assertThat(distinct).hasSize(writers * writesEach);
        assertThat(seen)
                .extracting(Change::seq)
                .isEqualTo(changes.read(0, 10_000).stream().map(Change::seq).toList());
    }

    @Test
    void writesOfPlainSqlAndOtherStoresAreRecordedToo() throws Exception {
        try (KvStore other = JpaKvStores.open(
                        tables.pool, tables.apply(KvConfig.builder()).build());
                Connection connection = tables.pool.getConnection()) {
            other.set("by-other-store", v("a"));
            insert(connection, 3, "by-plain-sql");
        }
        assertThat(changes.read(0, 10)).extracting(Change::key).containsExactly("by-other-store", "by-plain-sql");
    }

    @Test
    void writesCostTheSameRoundTripsWithTheStreamAndEachReadOne() {
        CountingDataSource counting = new CountingDataSource(tables.pool);
        try (KvStore counted = JpaKvStores.open(
                counting, tables.apply(KvConfig.builder().changeStream(true)).build())) {
            counting.reset();
            counted.set("a", v("1"));
            counted.delete("a");
            counted.setMany(Map.of("b", v("2"), "c", v("3")));
            counted.apply(List.of(Mutation.put("d", v("4")), Mutation.delete("b")));
            assertThat(counting.roundTrips()).hasSize(1 + 1 + 2 + 4);
            counting.reset();
            counted.changes().read(0, 10);
            counted.changes().consumer("c").commit(counted.changes().lastSeq());
            assertThat(counting.roundTrips()).hasSize(3);
        }
    }

    /** By the database's clock: this store uses the system clock, unlike the contract's fake one. */
    @Test
    void deletingALiveEntryWithAnExpiryIsADeleteAndAnExpiredOneIsExpired() {
        store.set("live", v("a"), Duration.ofHours(1));
        store.delete("live");
        TestDatabase.execute(
                tables.pool,
                "INSERT INTO change_stream (key_hash, key, value, expires_at, created_at, updated_at)"
                        + " VALUES (4, 'expired', '1', now() - interval '1 second', now(), now())");
        TestDatabase.execute(tables.pool, "DELETE FROM change_stream WHERE key = 'expired'");
        assertThat(changes.read(0, 10))
                .extracting(change -> change.type() + " " + change.key())
                .containsExactly("SET live", "DELETE live", "SET expired", "EXPIRED expired");
    }
}

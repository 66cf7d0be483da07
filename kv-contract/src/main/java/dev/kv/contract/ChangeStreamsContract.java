package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.v;
import static dev.kv.contract.ContractValues.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.Change;
import dev.kv.ChangeStream;
import dev.kv.ChangeStreamDisabledException;
import dev.kv.ConsumerStatus;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Mutation;
import dev.kv.StreamConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract's cases for change streams. */
public abstract class ChangeStreamsContract extends ContractCase {

    protected ChangeStreamsContract(KvStoreContract fixture) {
        super(fixture);
    }

    private KvStore streamed;
    private ChangeStream changes;
    private long start;

    @BeforeEach
    void openStreamedStore() {
        assumeCallsCommitOneByOne("a transaction's changes enter the stream when it commits: inside the caller's"
                + " transaction a case cannot read the changes it made");
        streamed = openTracked(KvConfig.builder().clock(clock).changeStream(true));
        changes = streamed.changes();
        start = changes.lastSeq();
    }

    private List<Change> all() {
        return changes.read(start, 1_000);
    }

    private static List<String> described(List<Change> changes) {
        return changes.stream()
                .map(change -> change.type() + " " + change.key() + " v" + change.version()
                        + change.value()
                                .map(value -> " " + new String(value, StandardCharsets.UTF_8).replace("\"", ""))
                                .orElse(""))
                .toList();
    }

    private static void assertConsecutive(List<Change> changes, long after) {
        for (Change change : changes) {
            assertThat(change.seq()).isEqualTo(++after);
        }
    }

    @Test
    void setsAndDeletesAreRecordedInOrderWithVersionsAndValues() {
        streamed.set("k", v("a"));
        clock.advance(Duration.ofSeconds(1));
        streamed.set("k", v("b"));
        streamed.delete("k");
        List<Change> recorded = all();
        assertThat(described(recorded)).containsExactly("SET k v1 a", "SET k v2 b", "DELETE k v2");
        assertConsecutive(recorded, start);
        assertThat(recorded.get(0).at()).isEqualTo(START);
        assertThat(recorded.get(1).at()).isEqualTo(START.plusSeconds(1));
        assertThat(recorded.get(2).value()).isEmpty();
    }

    @Test
    void aSetRecordsTheExpiryOfTheEntry() {
        streamed.set("k", v("a"));
        streamed.set("k", v("b"), Duration.ofMinutes(1));
        assertThat(all())
                .extracting(Change::expiresAt)
                .containsExactly(Optional.empty(), Optional.of(START.plusSeconds(60)));
    }

    @Test
    void everyKindOfWriteIsRecordedAsSet() {
        streamed.setIfAbsent("a", v("1"));
        streamed.increment("n", 5);
        streamed.update("a", value -> v("2"));
        streamed.expire("a", Duration.ofMinutes(1));
        streamed.persist("a");
        streamed.setMany(values("b", "3"));
        assertThat(described(all()))
                .containsExactly("SET a v1 1", "SET n v1 5", "SET a v2 2", "SET a v3 2", "SET a v4 2", "SET b v1 3");
    }

    @Test
    void anEntryRemovedAfterItExpiredIsRecordedAsExpired() {
        streamed.set("short", v("a"), Duration.ofSeconds(1));
        streamed.set("other", v("b"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        assertThat(streamed.cleanupExpired()).isEqualTo(2);
        assertThat(described(all()))
                .containsExactlyInAnyOrder("SET short v1 a", "SET other v1 b", "EXPIRED short v1", "EXPIRED other v1");
    }

    @Test
    void readReturnsTheChangesAfterASeqInPagesOfTheLimit() {
        for (int i = 1; i <= 5; i++) {
            streamed.set("k" + i, v("v" + i));
        }
        List<Change> first = changes.read(start, 2);
        List<Change> second = changes.read(first.get(1).seq(), 2);
        List<Change> rest = changes.read(second.get(1).seq(), 10);
        assertThat(first).extracting(Change::key).containsExactly("k1", "k2");
        assertThat(second).extracting(Change::key).containsExactly("k3", "k4");
        assertThat(rest).extracting(Change::key).containsExactly("k5");
        assertThat(changes.read(rest.get(0).seq(), 10)).isEmpty();
    }

    @Test
    void readOfAKeyPrefixReturnsOnlyItsKeys() {
        streamed.set("user:1", v("a"));
        streamed.set("order:1", v("b"));
        streamed.set("user:2", v("c"));
        assertThat(changes.read(start, 10, "user:")).extracting(Change::key).containsExactly("user:1", "user:2");
    }

    @Test
    void lastSeqIsTheSeqOfTheNewestChangeAndTrimmingKeepsIt() {
        streamed.set("a", v("1"));
        streamed.set("b", v("2"));
        long last = changes.lastSeq();
        assertThat(last).isEqualTo(start + 2);
        assertThat(changes.trim(last)).isEqualTo(2);
        assertThat(changes.lastSeq()).isEqualTo(last);
        streamed.set("c", v("3"));
        assertThat(changes.read(last, 10)).extracting(Change::seq).containsExactly(last + 1);
    }

    @Test
    void trimDeletesTheChangesUpToTheSeqAndKeepsTheRest() {
        streamed.set("a", v("1"));
        streamed.set("b", v("2"));
        streamed.set("c", v("3"));
        assertThat(changes.trim(start + 2)).isEqualTo(2);
        assertThat(changes.read(start, 10)).extracting(Change::key).containsExactly("c");
        assertThat(changes.trim(start + 2)).isZero();
    }

    @Test
    void aConsumerStartsAtZeroAndKeepsTheSeqItCommits() {
        StreamConsumer consumer = changes.consumer("indexer");
        assertThat(consumer.position()).isZero();
        streamed.set("a", v("1"));
        streamed.set("b", v("2"));
        consumer.commit(start + 1);
        assertThat(consumer.position()).isEqualTo(start + 1);
        assertThat(changes.consumer("indexer").position()).isEqualTo(start + 1);
        assertThat(changes.read(consumer.position(), 10))
                .extracting(Change::key)
                .containsExactly("b");
    }

    @Test
    void aConsumerStatusShowsPositionLastSeqAndLag() {
        streamed.set("a", v("1"));
        streamed.set("b", v("2"));
        streamed.set("c", v("3"));
        StreamConsumer consumer = changes.consumer("indexer");
        consumer.commit(start + 1);
        assertThat(consumer.status()).isEqualTo(new ConsumerStatus("indexer", start + 1, start + 3));
        assertThat(consumer.status().lag()).isEqualTo(2);
    }

    @Test
    void aDeletedConsumerIsBackAtZero() {
        streamed.set("a", v("1"));
        StreamConsumer consumer = changes.consumer("indexer");
        consumer.commit(start + 1);
        assertThat(consumer.delete()).isTrue();
        assertThat(consumer.position()).isZero();
        assertThat(consumer.delete()).isFalse();
    }

    @Test
    void consumersAreIndependent() {
        streamed.set("a", v("1"));
        changes.consumer("one").commit(start + 1);
        assertThat(changes.consumer("two").position()).isZero();
    }

    @Test
    void aConsumerCannotCommitBeyondTheLastSeq() {
        streamed.set("a", v("1"));
        StreamConsumer consumer = changes.consumer("indexer");
        assertThatThrownBy(() -> consumer.commit(start + 2))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("consumer \"indexer\" cannot commit seq " + (start + 2) + ": the stream's last seq is "
                        + (start + 1));
        assertThat(consumer.position()).isZero();
    }

    @Test
    void anAtomicBatchIsRecordedWhole() {
        streamed.set("gone", v("0"));
        streamed.apply(List.of(Mutation.put("a", v("1")), Mutation.put("b", v("2")), Mutation.delete("gone")));
        assertThat(described(all()))
                .containsExactlyInAnyOrder("SET gone v1 0", "SET a v1 1", "SET b v1 2", "DELETE gone v1");
        assertConsecutive(all(), start);
    }

    @Test
    void aRolledBackTransactionRecordsNothing() {
        streamed.set("a", v("1"));
        long before = changes.lastSeq();
        assertThatThrownBy(() -> streamed.inTransaction(tx -> {
                    tx.set("a", v("2"));
                    tx.set("b", v("3"));
                    tx.delete("a");
                    throw new IllegalStateException("refused");
                }))
                .hasMessage("refused");
        streamed.set("c", v("4"));
        assertThat(described(changes.read(before, 10))).containsExactly("SET c v1 4");
    }

    @Test
    void aCommittedTransactionRecordsItsChangesTogether() {
        streamed.inTransaction(tx -> {
            tx.set("a", v("1"));
            tx.set("a", v("2"));
            return tx.delete("a");
        });
        assertThat(described(all())).containsExactly("SET a v1 1", "SET a v2 2", "DELETE a v2");
        assertConsecutive(all(), start);
    }

    @Test
    void aNamespaceSeesOnlyItsOwnChangesWithoutThePrefix() {
        KvStore a = namespaceWithK("a", "1");
        KvStore b = namespaceWithK("b", "2");
        a.delete("k");
        assertThat(described(a.changes().read(start, 10))).containsExactly("SET k v1 1", "DELETE k v1");
        assertThat(described(b.changes().read(start, 10))).containsExactly("SET k v1 2");
    }

    @Test
    void aNamespaceHasItsOwnConsumersAndTrimsOnlyItsOwnChanges() {
        KvStore a = namespaceWithK("a", "1");
        KvStore b = namespaceWithK("b", "2");
        a.changes().consumer("indexer").commit(start + 2);
        assertThat(b.changes().consumer("indexer").position()).isZero();
        assertThat(changes.consumer("indexer").position()).isZero();
        assertThat(a.changes().trim(start + 2)).isEqualTo(1);
        assertThat(b.changes().read(start, 10)).hasSize(1);
    }

    /** The namespace {@code name} of the streamed store, its key {@code k} set to {@code value}. */
    private KvStore namespaceWithK(String name, String value) {
        KvStore namespace = streamed.namespace(name);
        namespace.set("k", v(value));
        return namespace;
    }

    @Test
    void invalidArgumentsAreRefusedWithTypedErrors() {
        assertThatThrownBy(() -> changes.read(-1, 10))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("afterSeq must not be negative, but was -1");
        assertThatThrownBy(() -> changes.read(0, 0))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("limit must be positive, but was 0");
        assertThatThrownBy(() -> changes.read(0, 1, null))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("keyPrefix must not be null");
        assertThatThrownBy(() -> changes.trim(-5))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("uptoSeq must not be negative, but was -5");
        assertThatThrownBy(() -> changes.consumer(" "))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("consumer name must be 1 to 200 characters, not blank and without control characters,"
                        + " but was \" \"");
        assertThatThrownBy(() -> changes.consumer(null))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("consumer name must not be null");
        assertThatThrownBy(() -> changes.consumer("x".repeat(201))).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> changes.consumer("indexer").commit(-1))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("seq must not be negative, but was -1");
    }

    @Test
    void aStoreWithoutTheStreamRefusesChanges() {
        assertThatThrownBy(() -> store.changes())
                .isInstanceOf(ChangeStreamDisabledException.class)
                .hasMessageContaining("changeStream(true)");
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CasResult;
import dev.kv.Expiry;
import dev.kv.KeyMapper;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import dev.kv.TypeMismatchException;
import dev.kv.TypedKvStore;
import dev.kv.TypedKvStore.TypedEntry;
import dev.kv.ValueCodec;
import dev.kv.VersionConflictException;
import dev.kv.contract.TypedStoresContract.Session;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract's cases for what a typed store does beyond get and set: what {@link KvStore} does, typed. */
public abstract class TypedStoreCoverageContract extends ContractCase {

    private static final Session ADA = new Session("ada", List.of(), START);
    private static final Session ADA_WITH_BOOK = new Session("ada", List.of("book"), START);
    private static final Session GRACE = new Session("grace", List.of(), START);

    protected TypedStoreCoverageContract(KvStoreContract fixture) {
        super(fixture);
    }

    private TypedKvStore<String, Session> sessions() {
        return TypedKvStore.json(store, Session.class);
    }

    @Test
    void entriesCarryTheirVersionForOptimisticWrites() {
        TypedKvStore<String, Session> sessions = sessions();
        long created = sessions.setIfVersion("s", ADA, KvStore.ABSENT);
        TypedEntry<String, Session> entry = sessions.getEntry("s").orElseThrow();
        assertThat(entry.key()).isEqualTo("s");
        assertThat(entry.value()).isEqualTo(ADA);
        assertThat(entry.version()).isEqualTo(created).isEqualTo(1);
        assertThat(sessions.setIfVersion("s", ADA_WITH_BOOK, 1)).isEqualTo(2);
        assertThatThrownBy(() -> sessions.setIfVersion("s", GRACE, 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> assertThat(e.actual())
                        .isEqualTo(2));
        assertThat(sessions.get("s")).contains(ADA_WITH_BOOK);
        assertThatThrownBy(() -> sessions.deleteIfVersion("s", 1)).isInstanceOf(VersionConflictException.class);
        sessions.deleteIfVersion("s", 2);
        assertThat(sessions.getEntry("s")).isEmpty();
    }

    @Test
    void compareAndSwapComparesTypedValues() {
        TypedKvStore<String, Session> sessions = sessions();
        assertThat(sessions.compareAndSwap("s", null, ADA).isSwapped()).isTrue();
        TypedKvStore.Swap<Session> mismatch = sessions.compareAndSwap("s", GRACE, ADA_WITH_BOOK);
        assertThat(mismatch.outcome()).isEqualTo(CasResult.Outcome.MISMATCH);
        assertThat(mismatch.current()).contains(ADA);
        assertThat(sessions.compareAndSwap("s", ADA, ADA_WITH_BOOK).isSwapped()).isTrue();
        assertThat(sessions.compareAndSwap("s", null, GRACE).current()).contains(ADA_WITH_BOOK);
        assertThat(sessions.get("s")).contains(ADA_WITH_BOOK);
    }

    @Test
    void expiryCanBeFixedIdleOrRemoved() {
        TypedKvStore<String, Session> sessions = sessions();
        sessions.set("fixed", ADA, Duration.ofMinutes(1));
        assertThat(sessions.persist("fixed")).isTrue();
        assertThat(sessions.ttl("fixed")).isEqualTo(Ttl.persistent());
        sessions.set("idle", ADA, Expiry.idle(Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(6));
        assertThat(sessions.get("idle")).contains(ADA);
        assertThat(sessions.ttl("idle")).isEqualTo(Ttl.expiresIn(Duration.ofMinutes(10)));
        assertThat(sessions.getAndSet("idle", GRACE, Duration.ofMinutes(2))).contains(ADA);
        assertThat(sessions.ttl("idle")).isEqualTo(Ttl.expiresIn(Duration.ofMinutes(2)));
    }

    @Test
    void countersWorkWhereTheCodecReadsIntegers() {
        TypedKvStore<String, Long> counters = TypedKvStore.of(store, KeyMapper.identity(), ValueCodec.json(Long.class));
        assertThat(counters.increment("hits", 5)).isEqualTo(5);
        assertThat(counters.increment("hits")).isEqualTo(6);
        assertThat(counters.decrement("hits", 2)).isEqualTo(4);
        assertThat(counters.decrement("hits")).isEqualTo(3);
        assertThat(counters.get("hits")).contains(3L);
    }

    @Test
    void aCounterOfAValueThatIsNoIntegerIsATypeMismatch() {
        assumeCallsCommitOneByOne("PostgreSQL refuses the increment, which aborts the caller's transaction (and the"
                + " store marks it for rollback): the case's next call cannot run in it");
        sessions().set("s", ADA);
        assertThatThrownBy(() -> sessions().increment("s", 1)).isInstanceOf(TypeMismatchException.class);
        assertThat(sessions().get("s")).contains(ADA);
    }

    @Test
    void deleteManyCountAndClearMapTheirKeys() {
        TypedKvStore<UUID, Session> byId = TypedKvStore.of(
                store.namespace("sessions"),
                KeyMapper.of(UUID::toString, UUID::fromString),
                ValueCodec.json(Session.class));
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        UUID three = UUID.randomUUID();
        byId.set(one, ADA);
        byId.set(two, GRACE);
        byId.set(three, ADA_WITH_BOOK);
        store.set("outside", v("1"));
        assertThat(byId.deleteMany(List.of(one, UUID.randomUUID()))).isEqualTo(1);
        assertThat(byId.count(ScanOptions.all())).isEqualTo(2);
        assertThat(byId.clear()).isEqualTo(2);
        assertThat(byId.keys(ScanOptions.all())).isEmpty();
        assertThat(store.exists("outside")).isTrue();
    }

    @Test
    void streamsDecodeEachEntry() {
        TypedKvStore<String, Session> sessions = sessions();
        sessions.set("a", ADA);
        sessions.set("b", GRACE);
        try (Stream<TypedEntry<String, Session>> stream = sessions.stream(ScanOptions.all(), 1)) {
            assertThat(stream.map(TypedEntry::value)).containsExactly(ADA, GRACE);
        }
    }

    @Test
    void transactionsSeeTheTypedViewAndRollBackTogether() {
        assumeCallsCommitOneByOne("inTransaction joins the caller's transaction, and JTA has no nested ones: the"
                + " exception marks the caller's for rollback, which undoes the whole case when it ends");
        TypedKvStore<String, Session> sessions = sessions();
        sessions.set("a", ADA);
        assertThatThrownBy(() -> sessions.inTransaction(tx -> {
                    tx.set("a", GRACE);
                    tx.set("b", GRACE);
                    throw new IllegalStateException("abort");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(sessions.get("a")).contains(ADA);
        assertThat(sessions.get("b")).isEqualTo(Optional.empty());
        long version = sessions.inTransaction(tx -> tx.setIfVersion("a", ADA_WITH_BOOK, 1));
        assertThat(version).isEqualTo(2);
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidValueException;
import dev.kv.KeyMapper;
import dev.kv.ScanOptions;
import dev.kv.TypeMismatchException;
import dev.kv.TypedKvStore;
import dev.kv.ValueCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract's cases for typed stores. */
public abstract class TypedStoresContract extends ContractCase {

    protected TypedStoresContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void jsonValuesRoundTripThroughTheCodec() {
        TypedKvStore<String, Session> sessions = TypedKvStore.json(store, Session.class);
        Session session = new Session("ada", List.of("book"), START);
        sessions.set("s-1", session, Duration.ofMinutes(30));
        assertThat(sessions.get("s-1")).contains(session);
        assertThat(sessions.ttl("s-1").remaining()).contains(Duration.ofMinutes(30));
        assertThat(JsonAssert.tree(store.get("s-1").orElseThrow()).get("user").asText())
                .isEqualTo("ada");
    }

    @Test
    void typedUpdateIsAtomicAndSeesNullWhenAbsent() {
        TypedKvStore<String, Session> sessions = TypedKvStore.json(store, Session.class);
        sessions.update("s-1", current -> current == null ? new Session("ada", List.of(), START) : current);
        Optional<Session> updated =
                sessions.update("s-1", current -> new Session(current.user(), List.of("pen"), current.since()));
        assertThat(updated.map(Session::cart)).contains(List.of("pen"));
    }

    @Test
    void keysOfAnotherTypeAreMappedBothWays() {
        TypedKvStore<java.util.UUID, Session> byId = TypedKvStore.of(
                store.namespace("sessions"),
                KeyMapper.of(java.util.UUID::toString, java.util.UUID::fromString),
                ValueCodec.json(Session.class));
        java.util.UUID id = java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        byId.setMany(Map.of(id, new Session("bob", List.of(), START)));
        assertThat(byId.keys(ScanOptions.all())).containsExactly(id);
        assertThat(byId.getMany(List.of(id))).containsOnlyKeys(id);
        assertThat(byId.scan(ScanOptions.all()).get(id).user()).isEqualTo("bob");
        assertThat(store.namespace("sessions").exists(id.toString())).isTrue();
    }

    @Test
    void aStoredValueOfAnotherShapeIsATypeMismatch() {
        store.set("s-1", v("just text"));
        TypedKvStore<String, Session> sessions = TypedKvStore.json(store, Session.class);
        assertThatThrownBy(() -> sessions.get("s-1")).isInstanceOf(TypeMismatchException.class);
        assertThatThrownBy(() -> sessions.set("s-2", null)).isInstanceOf(InvalidValueException.class);
    }

    public record Session(String user, List<String> cart, Instant since) {}
}

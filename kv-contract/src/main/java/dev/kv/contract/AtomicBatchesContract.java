package dev.kv.contract;

import static dev.kv.contract.ContractValues.oppositeOrders;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.utf8;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.Entry;
import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.TypeMismatchException;
import dev.kv.ValueFormat;
import dev.kv.VersionConflictException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's cases for atomic batches. */
public abstract class AtomicBatchesContract extends ContractCase {

    protected AtomicBatchesContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void putsAndDeletesApplyInOrderWithAResultEach() {
        store.set("x", v("old"));
        List<Long> results = store.apply(List.of(
                Mutation.put("a", v("1")),
                Mutation.delete("x"),
                Mutation.delete("missing"),
                Mutation.put("b", v("2"), Duration.ofMinutes(1)),
                Mutation.delete("a")));
        assertThat(results).containsExactly(1L, 1L, 0L, 1L, 1L);
        assertThat(store.keys("")).containsExactly("b");
        assertThat(store.ttl("b").remaining()).contains(Duration.ofMinutes(1));
    }

    @Test
    void anInvalidMutationWritesNothing() {
        store.set("x", v("old"));
        assertThatThrownBy(() -> store.apply(List.of(Mutation.delete("x"), Mutation.put("", v("1")))))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.apply(List.of(Mutation.delete("x"), Mutation.put("y", v("1"), Duration.ZERO))))
                .isInstanceOf(KvValidationException.class);
        assertThat(store.keys("")).containsExactly("x");
        assertThat(store.apply(List.of())).isEmpty();
    }

    @Test
    void expiredEntriesCountAsAbsent() {
        store.set("gone", v("x"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.apply(List.of(Mutation.delete("gone")))).containsExactly(0L);
    }

    @Test
    void batchesOverlappingInOppositeOrderNeverDeadlock() throws Exception {
        List<List<String>> orders = oppositeOrders("shared:", 40);
        Concurrently.run(2, writer -> {
            List<String> order = orders.get(writer);
            for (int round = 0; round < 20; round++) {
                List<Mutation> batch = new ArrayList<>();
                for (int i = 0; i < order.size(); i++) {
                    batch.add(i % 3 == 0 ? Mutation.delete(order.get(i)) : Mutation.put(order.get(i), v("w")));
                }
                store.apply(batch);
            }
        });
    }

    @Test
    void versionedPutsWriteOnlyAtTheirVersion() {
        store.set("doc", v("a"));
        assertThat(store.apply(List.of(
                        Mutation.put("doc", v("b")).ifVersion(1),
                        Mutation.put("new", v("n")).ifVersion(KvStore.ABSENT))))
                .containsExactly(1L, 1L);
        assertThat(store.getEntry("doc").orElseThrow().version()).isEqualTo(2);
        assertThat(store.getEntry("new").orElseThrow().version()).isEqualTo(1);
        assertThatThrownBy(() -> store.apply(List.of(
                        Mutation.put("other", v("o")),
                        Mutation.delete("new"),
                        Mutation.put("doc", v("c")).ifVersion(1))))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expected()).isEqualTo(1);
                    assertThat(e.actual()).isEqualTo(2);
                });
        assertThat(store.keys("")).containsExactly("doc", "new");
        assertThat(text(store.get("doc"))).isEqualTo("b");
    }

    @Test
    void aVersionedPutKeepsTheExpiryAndSeesTheMutationsBeforeIt() {
        store.set("doc", v("a"), Duration.ofMinutes(5));
        assertThat(store.apply(List.of(
                        Mutation.put("doc", v("b")).ifVersion(1),
                        Mutation.put("doc", v("c")).ifVersion(2),
                        Mutation.delete("doc").ifVersion(3),
                        Mutation.put("doc", v("d")).ifVersion(KvStore.ABSENT))))
                .containsExactly(1L, 1L, 1L, 1L);
        Entry doc = store.getEntry("doc").orElseThrow();
        assertThat(text(doc.value())).isEqualTo("d");
        assertThat(doc.version()).isEqualTo(1);
        assertThat(doc.expiresAt()).isEmpty();
        assertThatThrownBy(() -> store.apply(List.of(Mutation.delete("doc").ifVersion(7))))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store.exists("doc")).isTrue();
    }

    @Test
    void versionsAreCheckedOnlyWhereTheyMeanSomething() {
        assertThatThrownBy(
                        () -> Mutation.put("k", v("a"), Duration.ofMinutes(1)).ifVersion(1))
                .isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> Mutation.deletePrefix("k").ifVersion(1)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> Mutation.delete("k").ifVersion(KvStore.ABSENT))
                .isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> Mutation.put("k", v("a")).ifVersion(-1)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> Mutation.put("k", null)).isInstanceOf(KvValidationException.class);
    }

    @Test
    void patchesMergeIntoTheDocumentAsTheBatchLeftIt() {
        if (store.config().format() != ValueFormat.JSONB) {
            store.set("x", v("old"));
            assertThatThrownBy(() -> store.apply(List.of(Mutation.delete("x"), Mutation.patch("doc", utf8("{}")))))
                    .isInstanceOf(TypeMismatchException.class);
            assertThat(store.exists("x")).isTrue();
            return;
        }
        store.set("doc", utf8("{\"name\": \"ada\", \"zip\": \"N1\"}"), Duration.ofMinutes(5));
        assertThat(store.apply(List.of(
                        Mutation.patch("doc", utf8("{\"zip\": null}")),
                        Mutation.patch("doc", utf8("{\"age\": 36}")).ifVersion(2),
                        Mutation.patch("fresh", utf8("{\"a\": 1, \"b\": null}")))))
                .containsExactly(1L, 1L, 1L);
        Entry doc = store.getEntry("doc").orElseThrow();
        assertThat(JsonAssert.tree(doc.value())).isEqualTo(JsonAssert.tree(utf8("{\"name\": \"ada\", \"age\": 36}")));
        assertThat(doc.version()).isEqualTo(3);
        assertThat(doc.expiresAt()).isPresent();
        assertThat(JsonAssert.tree(store.get("fresh").orElseThrow())).isEqualTo(JsonAssert.tree(utf8("{\"a\": 1}")));
        assertThatThrownBy(() -> store.apply(List.of(Mutation.put("y", v("y")), Mutation.patch("doc", utf8("{oops")))))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> store.apply(List.of(
                        Mutation.put("y", v("y")),
                        Mutation.patch("doc", utf8("{}")).ifVersion(1))))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store.exists("y")).isFalse();
    }

    @Test
    void deletionsBySelectionCountWhatTheyRemoveAndSeeTheMutationsBeforeThem() {
        store.setMany(Map.of("tmp:1", v("1"), "tmp:2", v("2"), "a", v("a"), "b", v("b"), "c", v("c"), "x.log", v("x")));
        store.set("tmp:old", v("old"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.apply(List.of(
                        Mutation.put("tmp:3", v("3")),
                        Mutation.deletePrefix("tmp:"),
                        Mutation.deleteRange("a", "c"),
                        Mutation.delete(ScanOptions.glob("*.log")),
                        Mutation.put("tmp:4", v("4")))))
                .containsExactly(1L, 3L, 2L, 1L, 1L);
        assertThat(store.keys("")).containsExactly("c", "tmp:4");
    }

    @Test
    void aDeletionBySelectionHonoursItsLimitInKeyOrder() {
        store.setMany(Map.of("p:1", v("1"), "p:2", v("2"), "p:3", v("3"), "p:4", v("4")));
        assertThat(store.apply(List.of(
                        Mutation.delete("p:1"),
                        Mutation.delete(ScanOptions.prefix("p:").limit(2)),
                        Mutation.delete(ScanOptions.prefix("p:").descending().limit(5)))))
                .containsExactly(1L, 2L, 1L);
        assertThat(store.keys("p:")).isEmpty();
        store.setMany(Map.of("p:1", v("1"), "p:2", v("2"), "p:3", v("3")));
        assertThat(store.apply(List.of(
                        Mutation.delete(ScanOptions.prefix("p:").descending().limit(2)))))
                .containsExactly(2L);
        assertThat(store.keys("p:")).containsExactly("p:1");
    }

    @Test
    void richBatchesOverlappingInOppositeOrderNeverDeadlock() throws Exception {
        List<List<String>> orders = oppositeOrders("rich:", 30);
        Concurrently.run(2, writer -> {
            List<String> order = orders.get(writer);
            for (int round = 0; round < 20; round++) {
                List<Mutation> batch = new ArrayList<>();
                for (int i = 0; i < order.size(); i++) {
                    batch.add(i % 4 == 0 ? Mutation.delete(order.get(i)) : Mutation.put(order.get(i), v("w")));
                }
                batch.add(Mutation.deletePrefix("rich:" + round % 3));
                batch.add(Mutation.delete(ScanOptions.range("rich:1", "rich:2").limit(5)));
                store.apply(batch);
            }
        });
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.utf8;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CasResult;
import dev.kv.CasResult.Outcome;
import dev.kv.InvalidValueException;
import dev.kv.KeyNotFoundException;
import dev.kv.TypeMismatchException;
import dev.kv.ValueFormat;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract's cases for atomic operations. */
public abstract class AtomicOperationsContract extends ContractCase {

    protected AtomicOperationsContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void compareAndSwapSwapsWhenTheValueMatches() {
        store.set("lock", v("owner-1"), Duration.ofMinutes(1));
        assertThat(store.compareAndSwap("lock", v("owner-1"), v("owner-2")))
                .isEqualTo(new CasResult(Outcome.SWAPPED, Optional.empty()));
        assertThat(text(store.get("lock"))).isEqualTo("owner-2");
        assertThat(store.ttl("lock").remaining()).contains(Duration.ofMinutes(1));
    }

    @Test
    void compareAndSwapReportsAMismatchWithTheCurrentValue() {
        store.set("lock", v("owner-1"));
        CasResult result = store.compareAndSwap("lock", v("owner-9"), v("owner-2"));
        assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(result.current().map(ContractValues::text)).contains("owner-1");
        assertThat(store.getEntry("lock").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void compareAndSwapOfAnAbsentOrExpiredKeyIsNotFound() {
        assertThat(store.compareAndSwap("lock", v("a"), v("b")).outcome()).isEqualTo(Outcome.NOT_FOUND);
        store.set("lock", v("a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.compareAndSwap("lock", v("a"), v("b")).outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(store.exists("lock")).isFalse();
    }

    @Test
    void getAndSetReturnsThePreviousValue() {
        assertThat(store.getAndSet("k", v("first"))).isEmpty();
        assertThat(text(store.getAndSet("k", v("second")))).isEqualTo("first");
        assertThat(text(store.getAndSet("k", v("third"), Duration.ofSeconds(5))))
                .isEqualTo("second");
        assertThat(store.ttl("k").remaining()).contains(Duration.ofSeconds(5));
    }

    @Test
    void getAndDeleteRemovesAndReturns() {
        store.set("k", v("a"));
        assertThat(text(store.getAndDelete("k"))).isEqualTo("a");
        assertThat(store.exists("k")).isFalse();
        assertThat(store.getAndDelete("k")).isEmpty();
    }

    @Test
    void getOrThrowThrowsForAnAbsentKey() {
        store.set("k", v("a"));
        assertThat(text(store.getOrThrow("k"))).isEqualTo("a");
        assertThatThrownBy(() -> store.getOrThrow("missing"))
                .isInstanceOfSatisfying(
                        KeyNotFoundException.class, e -> assertThat(e.key()).isEqualTo("missing"))
                .hasMessage("key \"missing\" is absent or expired");
    }

    @Test
    void jsonMergePatchMergesRemovesAndReplaces() {
        if (store.config().format() != ValueFormat.JSONB) {
            assertThatThrownBy(() -> store.patch("doc", utf8("{}"))).isInstanceOf(TypeMismatchException.class);
            return;
        }
        store.set(
                "doc",
                utf8("{\"name\": \"ada\", \"tags\": [\"a\"], \"address\": {\"city\": \"London\", \"zip\": \"N1\"}}"));
        byte[] patched = store.patch(
                "doc", utf8("{\"tags\": [\"b\"], \"address\": {\"zip\": null, \"street\": \"x\"}, \"age\": 36}"));
        assertThat(JsonAssert.tree(patched))
                .isEqualTo(
                        JsonAssert.tree(
                                utf8(
                                        "{\"name\": \"ada\", \"tags\": [\"b\"], \"address\": {\"city\": \"London\", \"street\": \"x\"}, \"age\": 36}")));
        assertThat(JsonAssert.tree(store.get("doc").orElseThrow())).isEqualTo(JsonAssert.tree(patched));
        assertThat(JsonAssert.tree(store.patch("new", utf8("{\"a\": 1, \"b\": null}"))))
                .isEqualTo(JsonAssert.tree(utf8("{\"a\": 1}")));
        assertThatThrownBy(() -> store.patch("doc", utf8("{oops"))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void compareAndSwapInAJsonbStoreComparesJsonValues() {
        if (store.config().format() != ValueFormat.JSONB) {
            store.set("doc", utf8("{\"a\":1}"));
            assertThat(store.compareAndSwap("doc", utf8("{\"a\": 1}"), utf8("2"))
                            .outcome())
                    .isEqualTo(Outcome.MISMATCH);
            return;
        }
        store.set("doc", utf8("{\"b\": [1, 2], \"a\": 1.0}"));
        assertThat(store.compareAndSwap("doc", utf8("{\"a\":1,\"b\":[1,2]}"), utf8("2"))
                        .outcome())
                .isEqualTo(Outcome.SWAPPED);
    }
}

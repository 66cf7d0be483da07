package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static dev.kv.contract.ContractValues.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.ChangeStream;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Lease;
import dev.kv.ScanOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases for namespaces nested in one another: a key of {@code namespace("a")} that looks like
 * a nested path ({@code b:x}) and the key {@code x} of {@code namespace("a", "b")} are different entries, and
 * no read, scan, count, bulk delete or change stream of one namespace reaches into the other.
 */
public abstract class NestedNamespacesContract extends ContractCase {

    protected NestedNamespacesContract(KvStoreContract fixture) {
        super(fixture);
    }

    private KvStore outer;
    private KvStore nested;

    @BeforeEach
    void writeAKeyThatLooksNestedAndANestedKey() {
        outer = store.namespace("a");
        nested = store.namespace("a", "b");
        nested.set("x", v("nested"));
        outer.set("b:x", v("outer"));
    }

    @Test
    void aKeyThatLooksLikeANestedPathIsNotTheNestedNamespacesKey() {
        assertThat(text(nested.get("x"))).isEqualTo("nested");
        assertThat(text(outer.get("b:x"))).isEqualTo("outer");
        assertThat(nested.getEntry("x").orElseThrow().version()).isEqualTo(1);
        assertThat(outer.exists("b:y")).isFalse();
    }

    @Test
    void scansAndCountsOfTheOuterNamespaceListOnlyItsOwnKeys() {
        assertThat(outer.keys("")).containsExactly("b:x");
        assertThat(outer.keys("b:")).containsExactly("b:x");
        assertThat(outer.keys(ScanOptions.all())).containsExactly("b:x");
        assertThat(outer.keys(ScanOptions.all().descending())).containsExactly("b:x");
        assertThat(outer.keys(ScanOptions.range("b", "c"))).containsExactly("b:x");
        assertThat(outer.keys(ScanOptions.glob("*x"))).containsExactly("b:x");
        assertThat(outer.scan(ScanOptions.prefix("")).stream().map(e -> text(e.value())))
                .containsExactly("outer");
        assertThat(outer.count(ScanOptions.all())).isEqualTo(1);
        assertThat(nested.keys("")).containsExactly("x");
        assertThat(nested.count(ScanOptions.all())).isEqualTo(1);
    }

    @Test
    void clearAndBulkDeletesOfTheOuterNamespaceLeaveTheNestedOneAlone() {
        outer.set("c", v("3"));
        assertThat(outer.deletePrefix("b:")).isEqualTo(1);
        assertThat(outer.delete(ScanOptions.glob("*"))).isEqualTo(1);
        outer.setMany(values("b:x", "1", "b:z", "2"));
        assertThat(outer.deleteRange("b", "c")).isEqualTo(2);
        outer.set("b:x", v("outer"));
        assertThat(outer.clear()).isEqualTo(1);
        assertThat(text(nested.get("x"))).isEqualTo("nested");
        assertThat(nested.clear()).isEqualTo(1);
        outer.set("b:x", v("outer"));
        assertThat(store.namespace("a", "b").clear()).isZero();
        assertThat(text(outer.get("b:x"))).isEqualTo("outer");
    }

    @Test
    void aNamespaceOfANamespaceIsTheNamespaceOfTheJoinedPath() {
        KvStore chained = store.namespace("a").namespace("b");
        assertThat(text(chained.get("x"))).isEqualTo("nested");
        chained.set("y", v("chained"));
        assertThat(nested.keys("")).containsExactly("x", "y");
        assertThat(outer.keys("")).containsExactly("b:x");
        assertThat(store.namespace("a", "b", "c").keys("")).isEmpty();
        assertThat(store.namespace("a").namespace("b", "c").count(ScanOptions.all()))
                .isZero();
    }

    @Test
    void deeperAndSiblingNamespacesAreDisjointToo() {
        KvStore deeper = store.namespace("a", "b", "x");
        deeper.set("k", v("deeper"));
        store.namespace("ab").set("x", v("sibling"));
        store.namespace("a", "bx").set("k", v("other"));
        assertThat(nested.keys("")).containsExactly("x");
        assertThat(outer.keys("")).containsExactly("b:x");
        assertThat(deeper.keys("")).containsExactly("k");
        assertThat(text(deeper.get("k"))).isEqualTo("deeper");
        assertThat(nested.clear()).isEqualTo(1);
        assertThat(text(deeper.get("k"))).isEqualTo("deeper");
        assertThat(text(store.namespace("ab").get("x"))).isEqualTo("sibling");
    }

    @Test
    void writesAndLocksOfTheOuterNamespaceNeverTouchTheNestedOne() {
        outer.set("b:x", v("overwritten"));
        assertThat(outer.increment("b:n")).isEqualTo(1);
        assertThat(nested.exists("n")).isFalse();
        assertThat(outer.delete("b:x")).isTrue();
        assertThat(text(nested.get("x"))).isEqualTo("nested");
        assertThat(outer.tryLock("b:lock", "outer-owner", Duration.ofMinutes(1)))
                .isPresent();
        assertThat(nested.tryLock("lock", "nested-owner", Duration.ofMinutes(1)))
                .isPresent();
        assertThat(nested.getMany(List.of("x"))).containsOnlyKeys("x");
        assertThat(nested.lockStatus("lock")).map(Lease::owner).contains("nested-owner");
        assertThat(outer.lockStatus("b:lock")).map(Lease::owner).contains("outer-owner");
    }

    @Test
    void theOuterNamespacesChangeStreamShowsNoChangeOfTheNestedOne() {
        assumeCallsCommitOneByOne("a transaction's changes enter the stream when it commits: inside the caller's"
                + " transaction the case cannot read its own writes from the stream");
        KvStore streamed = openTracked(KvConfig.builder().clock(clock).changeStream(true));
        ChangeStream all = streamed.changes();
        long start = all.lastSeq();
        streamed.namespace("a", "b").set("x", v("nested"));
        streamed.namespace("a").set("b:y", v("outer"));
        ChangeStream outerChanges = streamed.namespace("a").changes();
        assertThat(outerChanges.read(start, 10))
                .extracting(change -> change.key())
                .containsExactly("b:y");
        assertThat(streamed.namespace("a").namespace("b").changes().read(start, 10))
                .extracting(change -> change.key())
                .containsExactly("x");
        outerChanges.consumer("b:c").commit(all.lastSeq());
        assertThat(streamed.namespace("a", "b").changes().consumer("c").position())
                .isZero();
        assertThat(outerChanges.trim(all.lastSeq())).isPositive();
        assertThat(outerChanges.read(start, 10)).isEmpty();
        assertThat(streamed.namespace("a", "b").changes().read(start, 10)).hasSize(1);
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.texts;
import static dev.kv.contract.ContractValues.v;
import static dev.kv.contract.ContractValues.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidKeyException;
import dev.kv.KvStore;
import dev.kv.ScanOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's cases for namespaces. */
public abstract class NamespacesContract extends ContractCase {

    protected NamespacesContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void namespacesNeverSeeEachOthersKeys() {
        KvStore alice = store.namespace("app", "alice");
        KvStore bob = store.namespace("app", "bob");
        alice.set("cart", v("book"));
        bob.set("cart", v("pen"));
        alice.set("cart:2", v("lamp"));
        assertThat(text(alice.get("cart"))).isEqualTo("book");
        assertThat(text(bob.get("cart"))).isEqualTo("pen");
        assertThat(alice.keys("")).containsExactly("cart", "cart:2");
        assertThat(bob.keys(ScanOptions.all())).containsExactly("cart");
        assertThat(alice.count(ScanOptions.all())).isEqualTo(2);
        assertThat(alice.clear()).isEqualTo(2);
        assertThat(text(bob.get("cart"))).isEqualTo("pen");
    }

    @Test
    void aNestedNamespaceIsReachedByItsPathOrByNesting() {
        store.namespace("app", "users").set("42", v("ada"));
        assertThat(store.namespace("app")
                        .namespace("users")
                        .getEntry("42")
                        .orElseThrow()
                        .key())
                .isEqualTo("42");
    }

    @Test
    void scansGlobsAndBatchesStayInTheNamespace() {
        KvStore ns = store.namespace("t1");
        store.set("t10:x", v("outside"));
        ns.setMany(values("a:1", "1", "a:2", "2", "b:1", "3"));
        assertThat(ns.keys(ScanOptions.glob("a:*"))).containsExactly("a:1", "a:2");
        assertThat(ns.keys(ScanOptions.glob("*"))).hasSize(3);
        assertThat(ns.keys(ScanOptions.range("a:2", null))).containsExactly("a:2", "b:1");
        assertThat(ns.keys(ScanOptions.all().descending().after("b:1"))).containsExactly("a:2", "a:1");
        assertThat(ns.scan(ScanOptions.prefix("b")).get(0).key()).isEqualTo("b:1");
        assertThat(texts(ns.getMany(List.of("a:1", "b:1"))))
                .containsExactly(Map.entry("a:1", "1"), Map.entry("b:1", "3"));
        assertThat(ns.increment("hits")).isEqualTo(1);
        assertThat(ns.deleteMany(List.of("a:1", "hits"))).isEqualTo(2);
        assertThat(text(store.get("t10:x"))).isEqualTo("outside");
    }

    @Test
    void namespaceNamesAreChecked() {
        assertThatThrownBy(() -> store.namespace("a:b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace names must be non-empty and free of ':', but was [a:b]");
        assertThatThrownBy(() -> store.namespace("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.namespace()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> store.namespace("x".repeat(store.config().limits().maxKeyBytes())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLongestKeyShrinksByTheNamespace() {
        KvStore ns = store.namespace("ns");
        int max = store.config().limits().maxKeyBytes() - "ns:".length();
        assertThat(ns.config().limits().maxKeyBytes()).isEqualTo(max);
        ns.set("k".repeat(max), v("x"));
        assertThatThrownBy(() -> ns.set("k".repeat(max + 1), v("x"))).isInstanceOf(InvalidKeyException.class);
    }
}

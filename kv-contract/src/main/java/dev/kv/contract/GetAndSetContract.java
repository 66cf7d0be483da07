package dev.kv.contract;

import static dev.kv.contract.ContractValues.CODE_POINT_ORDER;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Limits;
import dev.kv.Ttl;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for get and set. */
public abstract class GetAndSetContract extends ContractCase {

    protected GetAndSetContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void getWhenAbsentThenEmpty() {
        assertThat(store.get("missing")).isEmpty();
    }

    @Test
    void setThenGetReturnsTheValue() {
        store.set("user:1", v("alice"));
        assertThat(text(store.get("user:1"))).isEqualTo("alice");
    }

    @Test
    void setWhenPresentThenReplacesValue() {
        store.set("user:1", v("alice"));
        store.set("user:1", v("bob"));
        assertThat(text(store.get("user:1"))).isEqualTo("bob");
    }

    @Test
    void setWithoutTtlRemovesAnEarlierTtl() {
        store.set("k", v("a"), Duration.ofMinutes(1));
        store.set("k", v("b"));
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
    }

    @Test
    void getReturnsACopyThatCannotChangeTheStore() {
        store.set("k", v("abc"));
        byte[] read = store.get("k").orElseThrow();
        read[1] = 'X';
        assertThat(text(store.get("k"))).isEqualTo("abc");
    }

    @Test
    void unicodeKeysAreStoredLiterally() {
        List<String> keys = List.of("日本語", "emoji:😀", "e\u0301", "é", "ключ", "%_\\*?[", " spaced ", "tab\tkey");
        for (String key : keys) {
            store.set(key, v(key.replace("\\", "\\\\").replace("\t", "\\t")));
        }
        for (String key : keys) {
            assertThat(store.exists(key)).as(key).isTrue();
        }
        assertThat(store.keys(""))
                .containsExactlyElementsOf(
                        keys.stream().sorted(CODE_POINT_ORDER).toList());
    }

    @Test
    void aKeyOfTheMaximumLengthIsAccepted() {
        String key = "k".repeat(store.config().limits().maxKeyBytes());
        store.set(key, v("x"));
        assertThat(store.exists(key)).isTrue();
    }

    @Test
    void aValueOfTheMaximumSizeIsAccepted() {
        KvStore small = openTracked(KvConfig.builder().clock(clock).limits(new Limits(64, 16)));
        small.set("k", v("x".repeat(14)));
        assertThat(text(small.get("k"))).hasSize(14);
    }
}

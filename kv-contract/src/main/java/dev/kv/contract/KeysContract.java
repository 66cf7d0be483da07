package dev.kv.contract;

import static dev.kv.contract.ContractValues.CODE_POINT_ORDER;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidKeyException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for keys. */
public abstract class KeysContract extends ContractCase {

    protected KeysContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void keysListsLiveKeysWithThePrefixInOrder() {
        for (String key : List.of("user:3", "user:1", "order:1", "user:2", "users")) {
            store.set(key, v("x"));
        }
        assertThat(store.keys("user:")).containsExactly("user:1", "user:2", "user:3");
        assertThat(store.keys("user")).containsExactly("user:1", "user:2", "user:3", "users");
        assertThat(store.keys("")).hasSize(5);
        assertThat(store.keys("nothing")).isEmpty();
    }

    @Test
    void likeWildcardsInThePrefixAreLiteral() {
        for (String key : List.of("user_1", "userX1", "100%", "1000", "a\\b", "a\\\\b", "ab")) {
            store.set(key, v("x"));
        }
        assertThat(store.keys("user_")).containsExactly("user_1");
        assertThat(store.keys("100%")).containsExactly("100%");
        assertThat(store.keys("a\\")).containsExactly("a\\\\b", "a\\b");
    }

    @Test
    void prefixesEndingInTheLargestCharactersWork() {
        List<String> keys = List.of(
                "a\uffff", "a\uffffb", "a\ud7ff", "a\ud7ffz", "a\ue000", "x\udbff\udfff", "x\udbff\udfffy", "y");
        keys.forEach(key -> store.set(key, v("x")));
        assertThat(store.keys("a\uffff")).containsExactly("a\uffff", "a\uffffb");
        assertThat(store.keys("a\ud7ff")).containsExactly("a\ud7ff", "a\ud7ffz");
        assertThat(store.keys("x\udbff\udfff")).containsExactly("x\udbff\udfff", "x\udbff\udfffy");
        assertThat(store.keys(""))
                .containsExactlyElementsOf(
                        keys.stream().sorted(CODE_POINT_ORDER).toList());
    }

    @Test
    void aPrefixIsCheckedLikeAKey() {
        assertThatThrownBy(() -> store.keys((String) null))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("prefix must not be null");
        assertThatThrownBy(() -> store.keys("a\u0000")).isInstanceOf(InvalidKeyException.class);
    }
}

package dev.kv.contract;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidPatternException;
import dev.kv.ScanOptions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract's cases for glob scans. */
public abstract class GlobScansContract extends ContractCase {

    protected GlobScansContract(KvStoreContract fixture) {
        super(fixture);
    }

    @BeforeEach
    void fill() {
        for (String key :
                List.of("user:1:name", "user:2:name", "user:10:mail", "user:x:name", "users", "a*b", "a?b", "a[b")) {
            store.set(key, v("x"));
        }
    }

    @Test
    void starAndQuestionMark() {
        assertThat(store.keys(ScanOptions.glob("user:*:name")))
                .containsExactly("user:1:name", "user:2:name", "user:x:name");
        assertThat(store.keys(ScanOptions.glob("user:?:name")))
                .containsExactly("user:1:name", "user:2:name", "user:x:name");
        assertThat(store.keys(ScanOptions.glob("user:??:*"))).containsExactly("user:10:mail");
        assertThat(store.keys(ScanOptions.glob("*s"))).containsExactly("users");
    }

    @Test
    void characterClassesAndNegation() {
        assertThat(store.keys(ScanOptions.glob("user:[12]:name"))).containsExactly("user:1:name", "user:2:name");
        assertThat(store.keys(ScanOptions.glob("user:[0-9]:*"))).containsExactly("user:1:name", "user:2:name");
        assertThat(store.keys(ScanOptions.glob("user:[!0-9]:*"))).containsExactly("user:x:name");
    }

    @Test
    void escapedWildcardsAreLiteral() {
        assertThat(store.keys(ScanOptions.glob("a\\*b"))).containsExactly("a*b");
        assertThat(store.keys(ScanOptions.glob("a\\?b"))).containsExactly("a?b");
        assertThat(store.keys(ScanOptions.glob("a\\[b"))).containsExactly("a[b");
        assertThat(store.keys(ScanOptions.glob("a?b"))).containsExactly("a*b", "a?b", "a[b");
    }

    @Test
    void globsCountAndPageLikeOtherScans() {
        assertThat(store.count(ScanOptions.glob("user:*"))).isEqualTo(4);
        assertThat(store.keys(ScanOptions.glob("user:*").descending().limit(2)))
                .containsExactly("user:x:name", "user:2:name");
    }

    @Test
    void unicodeCharactersAreOneCharacter() {
        store.set("emoji:😀", v("x"));
        store.set("emoji:ab", v("x"));
        assertThat(store.keys(ScanOptions.glob("emoji:?"))).containsExactly("emoji:😀");
    }

    @Test
    void malformedPatternsAreTypedErrors() {
        for (String pattern : List.of("user:[", "user:[]", "a\\", "[z-a]")) {
            assertThatThrownBy(() -> ScanOptions.glob(pattern)).as(pattern).isInstanceOf(InvalidPatternException.class);
        }
    }
}

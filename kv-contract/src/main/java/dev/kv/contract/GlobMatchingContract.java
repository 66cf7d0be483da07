package dev.kv.contract;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.GlobPattern;
import dev.kv.InvalidPatternException;
import dev.kv.ScanOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Globs match exactly what their definition ({@link GlobReference}) matches, over generated keys and
 * patterns and over adversarial ones that make a backtracking matcher try every split of a key; and
 * patterns beyond the documented limits are refused with a typed error instead of costing a scan
 * (or a stack) without bound.
 */
public abstract class GlobMatchingContract extends ContractCase {

    private static final String[] KEY_CHARACTERS = {"a", "b", "%", "_", "\\", "*", "?", "[", "]", "é", "😀"};

    private static final String[] PATTERN_TOKENS = {
        "a", "b", "%", "_", "]", "é", "😀", "\\*", "\\?", "\\[", "\\\\", "*", "*", "?", "[ab]", "[!a]", "[a-z]", "[%_]",
        "[\\]a]", "[^😀]"
    };

    protected GlobMatchingContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void generatedPatternsSelectExactlyTheKeysTheDefinitionMatches() {
        SplittableRandom random = new SplittableRandom(20261201);
        TreeSet<String> keys = new TreeSet<>(ContractValues.CODE_POINT_ORDER);
        while (keys.size() < 120) {
            StringBuilder key = new StringBuilder();
            for (int i = 1 + random.nextInt(7); i > 0; i--) {
                key.append(KEY_CHARACTERS[random.nextInt(KEY_CHARACTERS.length)]);
            }
            keys.add(key.toString());
        }
        keys.forEach(key -> store.set(key, v("x")));
        for (int n = 0; n < 150; n++) {
            StringBuilder pattern = new StringBuilder();
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                pattern.append(PATTERN_TOKENS[random.nextInt(PATTERN_TOKENS.length)]);
            }
            assertSelectsWhatTheDefinitionMatches(pattern.toString(), keys);
        }
    }

    @Test
    void adversarialPatternsSelectExactlyTheKeysTheDefinitionMatches() {
        TreeSet<String> keys = new TreeSet<>(ContractValues.CODE_POINT_ORDER);
        keys.addAll(List.of("a".repeat(60), "a".repeat(900), "a".repeat(899) + "b", "ab".repeat(450)));
        keys.forEach(key -> store.set(key, v("x")));
        List<String> patterns = List.of(
                "*a*a*a*a*a*a*a*a*b",
                "*a".repeat(31) + "*b",
                "*a".repeat(31) + "*",
                "*?".repeat(16),
                "?*".repeat(15) + "b",
                "*[a]".repeat(15) + "*b",
                "a" + "*".repeat(4000) + "b",
                "*" + "a".repeat(450) + "*" + "a".repeat(440) + "b");
        for (String pattern : patterns) {
            assertSelectsWhatTheDefinitionMatches(pattern, keys);
        }
    }

    @Test
    void aRunOfStarsIsOneWildcard() {
        store.set("ab", v("x"));
        store.set("a-long-middle-b", v("x"));
        store.set("ba", v("x"));
        String pattern = "a" + "*".repeat(GlobPattern.MAX_LENGTH - 2) + "b";
        assertThat(store.keys(ScanOptions.glob(pattern))).containsExactly("a-long-middle-b", "ab");
        assertThat(store.count(ScanOptions.glob("**a**"))).isEqualTo(3);
    }

    @Test
    void patternsBeyondTheLimitsAreRefusedWithATypedError() {
        store.set("k", v("x"));
        assertThatThrownBy(() -> ScanOptions.glob("*".repeat(10_000)))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessage("pattern has 10000 characters, more than the maximum of 4096");
        assertThatThrownBy(() -> ScanOptions.glob("?".repeat(GlobPattern.MAX_WILDCARDS + 1)))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessage("pattern has 33 wildcards (?, [...] and runs of *), more than the maximum of 32");
        assertThatThrownBy(() -> ScanOptions.glob("*a".repeat(33)))
                .isInstanceOf(InvalidPatternException.class)
                .hasMessageContaining("33 wildcards");
        assertThat(store.keys(ScanOptions.glob("?".repeat(GlobPattern.MAX_WILDCARDS))))
                .isEmpty();
        String longest = "*" + "\\?".repeat(GlobPattern.MAX_LENGTH / 2 - 1) + "x";
        assertThat(store.keys(ScanOptions.glob(longest))).isEmpty();
        assertThat(store.keys("")).containsExactly("k");
    }

    private void assertSelectsWhatTheDefinitionMatches(String pattern, TreeSet<String> keys) {
        List<String> expected = new ArrayList<>();
        for (String key : keys) {
            if (GlobReference.matches(pattern, key)) {
                expected.add(key);
            }
        }
        ScanOptions glob = ScanOptions.glob(pattern);
        assertThat(store.keys(glob)).as(pattern).containsExactlyElementsOf(expected);
        assertThat(store.count(glob)).as(pattern).isEqualTo(expected.size());
    }
}
